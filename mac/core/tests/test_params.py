"""Row ids from request parameters: only ASCII digits that fit a 64-bit key."""

import pytest

from mac.core.params import parse_id, parse_int


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


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5", 5),
        (" 5 ", 5),  # a form field's blanks
        (5, 5),
        ("0", None),  # below the scale
        ("11", None),  # above it
        ("²", None),
        ("٣", None),
        ("9" * 5000, None),
        (True, None),
        (4.0, None),
        (None, None),
    ],
)
def test_a_bounded_integer_is_ascii_digits_within_its_bounds(raw, expected):
    assert parse_int(raw, 1, 10) == expected
