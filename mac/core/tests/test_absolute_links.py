"""Absolute links are SITE_URL and the path with one slash between them,
however SITE_URL ends and the path begins; without the scheme they are the
address a citizen types."""

import pytest

from mac.core.links import absolute


@pytest.mark.parametrize(
    ("site_url", "path", "expected"),
    [
        ("https://mac.gob.pe", "/citas/", "https://mac.gob.pe/citas/"),
        ("https://mac.gob.pe/", "/citas/", "https://mac.gob.pe/citas/"),
        ("https://mac.gob.pe//", "/citas/", "https://mac.gob.pe/citas/"),
        ("https://mac.gob.pe", "citas/", "https://mac.gob.pe/citas/"),
        ("https://mac.gob.pe/", "citas/", "https://mac.gob.pe/citas/"),
        ("https://mac.gob.pe", "/", "https://mac.gob.pe/"),
        ("https://mac.gob.pe/", "", "https://mac.gob.pe/"),
        (
            "https://mac.gob.pe",
            "/citas/gestionar/?codigo=LN-7K3Q",
            "https://mac.gob.pe/citas/gestionar/?codigo=LN-7K3Q",
        ),
        ("http://127.0.0.1:8000", "/turno/abc/", "http://127.0.0.1:8000/turno/abc/"),
        ("https://www.gob.pe/mac/", "/citas/", "https://www.gob.pe/mac/citas/"),
    ],
)
def test_it_joins_site_url_and_path_with_one_slash(settings, site_url, path, expected):
    settings.SITE_URL = site_url

    assert absolute(path) == expected


@pytest.mark.parametrize(
    ("site_url", "path", "expected"),
    [
        ("https://mac.gob.pe", "/citas/", "mac.gob.pe/citas/"),
        ("https://mac.gob.pe/", "citas/", "mac.gob.pe/citas/"),
        ("http://127.0.0.1:8000/", "/citas/", "127.0.0.1:8000/citas/"),
        ("https://www.gob.pe/mac", "/citas/", "www.gob.pe/mac/citas/"),
        ("mac.gob.pe", "/citas/", "mac.gob.pe/citas/"),  # no scheme to drop
    ],
)
def test_it_drops_the_scheme_for_an_address_to_type(settings, site_url, path, expected):
    settings.SITE_URL = site_url

    assert absolute(path, scheme=False) == expected
