"""`send` refuses bad input with ValueError and stores nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mac.notify.actions import send
from mac.notify.models import Message, MessageAttachment
from mac.notify.testing import scheduled_tasks

from .conftest import CONFIRMED

NO_RECIPIENT = "send() needs an email, a phone or both"
NOT_MOBILE = "{!r} is not a valid mobile phone number"
CASES = [
    pytest.param(
        {"kind": "appointment_lost"}, "unknown message kind 'appointment_lost'", id="unknown-kind"
    ),
    pytest.param(
        {"context": {k: v for k, v in CONFIRMED.items() if k not in {"when", "code"}}},
        "message kind 'appointment_confirmed' needs context key(s): code, when",
        id="missing-context-keys",
    ),
    pytest.param(
        {"context": {**CONFIRMED, "when": None}},
        "context key 'when' must be a string or an integer, not NoneType",
        id="context-value-not-plain",
    ),
    pytest.param({"email": None, "phone": None}, NO_RECIPIENT, id="no-recipient"),
    pytest.param({"email": "", "phone": ""}, NO_RECIPIENT, id="empty-recipients"),
    pytest.param({"phone": "12345"}, NOT_MOBILE.format("12345"), id="short-phone"),
    pytest.param({"phone": "+5114271234"}, NOT_MOBILE.format("+5114271234"), id="landline"),
    pytest.param({"phone": "llámame"}, NOT_MOBILE.format("llámame"), id="phone-not-a-number"),
    pytest.param({"email": "ana@"}, "invalid email address 'ana@'", id="bad-email"),
    pytest.param(
        {"language": "en"}, "language must be one of ('es', 'qu'), not 'en'", id="language"
    ),
    pytest.param({"ref": "x" * 201}, "ref is longer than 200 characters", id="long-ref"),
]


@pytest.mark.django_db
class TestBadInput:
    @pytest.mark.parametrize(("change", "error"), CASES)
    def test_it_refuses_and_stores_nothing(self, change, error, django_capture_on_commit_callbacks):
        # given: a good email and phone, unless the case changes them
        arguments: dict[str, Any] = {
            "kind": "appointment_confirmed",
            "email": "ana@example.pe",
            "phone": "+51987654321",
            "language": "es",
            "context": CONFIRMED,
        }
        arguments.update(change)
        kind = arguments.pop("kind")

        # when
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(ValueError, match=f"^{re.escape(error)}$"),
        ):
            send(kind, **arguments)

        # then
        assert callbacks == []
        assert Message.objects.count() == 0
        assert MessageAttachment.objects.count() == 0
        assert scheduled_tasks().count() == 0
