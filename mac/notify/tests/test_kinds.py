"""Every registered kind has its three texts, renders in Spanish and Quechua,
and its Spanish SMS fits in one message for a typical appointment."""

from __future__ import annotations

import pytest

from mac.notify import kinds
from mac.notify.rendering import render

from .conftest import ANY_KIND

PARTS = ["subject", "body", "sms"]
KINDS = sorted(kinds.KINDS)


class TestKinds:
    def test_it_registers_the_appointment_kinds(self):
        assert KINDS == [
            "appointment_cancelled",
            "appointment_cancelled_by_center",
            "appointment_confirmed",
            "appointment_no_show",
            "appointment_reminder",
            "appointment_rescheduled",
            "complaint_answered",
            "complaint_due_soon",
            "complaint_filed",
            "complaint_overdue",
            "survey_invitation",
            "waitlist_offer",
        ]

    def test_it_refuses_to_register_a_kind_twice(self):
        with pytest.raises(ValueError, match="already registered"):
            kinds.register("appointment_confirmed", "code")

    @pytest.mark.parametrize("name", KINDS)
    def test_it_renders_every_part_in_both_languages(self, name):
        # given
        kind = kinds.get(name)
        context = {key: ANY_KIND[key] for key in kind.required}

        # when
        texts = {
            (part, language): render(kind, part, language, context)
            for part in PARTS
            for language in ["es", "qu"]
        }

        # then
        for part in PARTS:
            spanish, quechua = texts[part, "es"], texts[part, "qu"]
            assert spanish.strip()
            assert quechua != spanish, f"{name}/{part} has no Quechua translation"
        assert "\n" not in texts["subject", "es"]
        assert "\n" not in texts["sms", "es"]

    @pytest.mark.parametrize("name", KINDS)
    def test_it_keeps_the_spanish_sms_within_160_characters(self, name):
        kind = kinds.get(name)
        context = {key: ANY_KIND[key] for key in kind.required}

        assert len(render(kind, "sms", "es", context)) <= 160

    def test_it_tells_about_the_restriction_after_a_no_show_only_when_there_is_one(self):
        # given
        context = {key: ANY_KIND[key] for key in kinds.APPOINTMENT_NO_SHOW.required}

        # when
        restricted = render(kinds.APPOINTMENT_NO_SHOW, "sms", "es", context)
        free = render(kinds.APPOINTMENT_NO_SHOW, "sms", "es", {**context, "restricted_until": ""})

        # then
        assert restricted == (
            "MAC: no llegaste a tu cita LN-7K3Q del lunes 7 de diciembre de 2026, 09:30. "
            "Podrás reservar otra cita desde el 4 de enero de 2027."
        )
        assert free == "MAC: no llegaste a tu cita LN-7K3Q del lunes 7 de diciembre de 2026, 09:30."
