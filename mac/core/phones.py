"""Phone numbers as every app takes them: Peruvian unless they carry a
country code, stored in E.164, and a mobile when notices go by SMS (the
complaints book, appointments and the notification service ask the same
question here)."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers

_MOBILE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


@dataclass(frozen=True)
class Phone:
    e164: str
    mobile: bool


def parse_phone(value: str) -> Phone | None:
    """The number if it is a valid one, or None."""
    try:
        number = phonenumbers.parse(value or "", "PE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return Phone(
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        mobile=phonenumbers.number_type(number) in _MOBILE,
    )


def mobile_e164(value: str) -> str | None:
    """The number in E.164 when SMS can reach it, else None."""
    phone = parse_phone(value)
    return phone.e164 if phone is not None and phone.mobile else None
