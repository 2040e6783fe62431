"""Search quality over the demo catalog: what citizens type, and the service
each query must find in the top 3 (cases in mac/catalog/data/search_cases.py)."""

from collections.abc import Iterator

import pytest

from mac.catalog import search
from mac.catalog.data.search_cases import SEARCH_CASES
from mac.catalog.search import fold, search_services
from mac.catalog.seed import seed
from mac.core.testing import delete_demo_data


@pytest.fixture(scope="module")
def demo_catalog(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        seed()
        search.invalidate()
    yield
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        delete_demo_data()
        search.invalidate()


@pytest.fixture(autouse=True)
def _fresh_search_index() -> None:
    """Overrides the package's autouse fixture: the catalog here does not change
    between tests, so the index is built once."""


@pytest.mark.usefixtures("demo_catalog")
class TestSearchQuality:
    def test_there_are_at_least_forty_cases(self) -> None:
        assert len(SEARCH_CASES) >= 40

    @pytest.mark.parametrize(
        ("query", "entity", "words"), SEARCH_CASES, ids=[c[0] for c in SEARCH_CASES]
    )
    def test_it_finds_what_citizens_mean(
        self, db: None, query: str, entity: str, words: str
    ) -> None:
        top = search_services(query)[:3]
        found = [(s.entity.acronym, s.plain_name) for s in top]
        assert any(
            s.entity.acronym == entity and fold(words) in fold(f"{s.plain_name} {s.name}")
            for s in top
        ), f"{query!r} should find {entity} «{words}» in the top 3, got {found}"

    def test_it_ranks_the_licence_first_for_brevete(self, db: None) -> None:
        top = search_services("brevete")[:1]
        assert top[0].entity.acronym == "MTC"
        assert "licencia de conducir" in fold(top[0].name)
