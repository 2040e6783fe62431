"""One rule for phone numbers: Peruvian unless they carry a country code,
E.164, and whether SMS reaches them."""

from __future__ import annotations

import pytest

from mac.core.phones import Phone, mobile_e164, parse_phone


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("987 654 321", Phone("+51987654321", mobile=True)),
        ("+51 987-654-321", Phone("+51987654321", mobile=True)),
        ("01 4261234", Phone("+5114261234", mobile=False)),  # a Lima landline
        ("+1 202 555 0143", Phone("+12025550143", mobile=True)),  # fixed or mobile: SMS may reach
        ("12345", None),
        ("celular", None),
        ("", None),
        ("9" * 300, None),
    ],
)
def test_it_reads_a_number_as_typed(typed, expected):
    assert parse_phone(typed) == expected


def test_only_mobiles_have_an_sms_number():
    assert [mobile_e164(n) for n in ["987654321", "014261234", "x"]] == ["+51987654321", None, None]
