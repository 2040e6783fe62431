"""Row ids from request parameters: only ASCII digits that fit a 64-bit key."""

import pytest

from mac.appointments.forms import parse_id


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7", 7),
        ("000123", 123),
        ("9" * 18, 999_999_999_999_999_999),
        ("9" * 19, None),  # beyond a 64-bit key
        ("9" * 5000, None),  # int() refuses more than 4300 digits
        ("²", None),  # a digit to str.isdigit, not to int
        ("١٢", None),  # Arabic-Indic digits: int() takes them, a form should not
        ("１２", None),  # full-width digits
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1.0", None),
        ("", None),
        (None, None),
    ],
)
def test_only_ascii_digits_that_fit_a_key_are_an_id(raw, expected):
    assert parse_id(raw) == expected
