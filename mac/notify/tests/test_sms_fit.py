"""The waitlist offer's SMS stays one SMS (at most 160 characters of the GSM
alphabet) whatever the service: a long name is cut short with "...", a letter
outside the alphabet loses its accent; the email keeps the name whole."""

from __future__ import annotations

import pytest

from mac.catalog.seed import all_service_specs
from mac.notify import gsm, kinds
from mac.notify.rendering import render

from .conftest import ANY_KIND

CONTEXT = {key: ANY_KIND[key] for key in kinds.WAITLIST_OFFER.required}
URL = str(ANY_KIND["confirm_url"])
LONGEST_SEED = max(
    (spec.plain for specs in all_service_specs().values() for spec in specs), key=len
)
SYNTHETIC = "Inscripción " + "de la constancia de trámite ñandutí " * 8
# The longest "offer_until" (mac.appointments.notices.offer_until), per language.
NEXT_DAY = {"es": "01:00 del 02/12", "qu": "02/12, 01:00"}


def sms(service: str, language: str = "es", offer_until: str = "11:45") -> str:
    context = {**CONTEXT, "service": service, "offer_until": offer_until}
    return render(kinds.WAITLIST_OFFER, "sms", language, context)


class TestWaitlistOfferSms:
    def test_a_short_name_is_left_whole(self) -> None:
        assert sms("Duplicado de DNI") == (
            "MAC: horario libre para Duplicado de DNI: 07/12 09:30. Confirma hasta las 11:45: "
            + URL
        )

    def test_the_longest_seed_name_is_cut_short_to_one_sms(self) -> None:
        # the seed's longest plain name (77 characters) with the real link
        assert len(LONGEST_SEED) > 70

        text = sms(LONGEST_SEED)

        assert text == (
            "MAC: horario libre para Sacar el DNI gratis si soy adulto...: 07/12 09:30. Confirma"
            f" hasta las 11:45: {URL}"
        )
        assert LONGEST_SEED.startswith("Sacar el DNI gratis ")
        assert gsm.length(text) <= 160 and gsm.is_gsm(text)

    @pytest.mark.parametrize("language", ["es", "qu"])
    @pytest.mark.parametrize("next_day", [False, True], ids=["same-day", "next-day"])
    @pytest.mark.parametrize("service", [LONGEST_SEED, SYNTHETIC], ids=["seed", "synthetic"])
    def test_it_is_one_sms_in_either_language(
        self, service: str, next_day: bool, language: str
    ) -> None:
        offer_until = NEXT_DAY[language] if next_day else "11:45"

        text = sms(service, language, offer_until)

        assert gsm.length(text) <= 160
        assert gsm.is_gsm(text), [c for c in text if not gsm.is_gsm(c)]
        assert "..." in text and text.endswith(URL)
        assert offer_until in text

    def test_it_writes_letters_outside_the_alphabet_without_their_accent(self) -> None:
        text = sms("Inscripción RUC")

        assert text.startswith("MAC: horario libre para Inscripcion RUC: 07/12 09:30.")
        assert gsm.is_gsm(text)

    def test_the_email_keeps_the_whole_name(self) -> None:
        context = {**CONTEXT, "service": SYNTHETIC.strip()}

        subject = render(kinds.WAITLIST_OFFER, "subject", "es", context)
        body = render(kinds.WAITLIST_OFFER, "body", "es", context)

        assert SYNTHETIC.strip() in subject
        assert SYNTHETIC.strip() in body


class TestGsm:
    def test_it_folds_only_what_the_alphabet_lacks(self) -> None:
        assert gsm.folded("Años, pingüino, café — «río» ‘sí’…") == (
            "Años, pingüino, café - ?rio? 'si'..."
        )

    def test_extension_characters_count_two(self) -> None:
        assert gsm.length("S/ 10 [€]") == 12

    def test_a_kind_can_only_fit_one_of_its_context_keys(self) -> None:
        with pytest.raises(ValueError, match="not a context key"):
            kinds.register("test_sms_fit_unknown_key", "code", sms_fit="service")

        assert "test_sms_fit_unknown_key" not in kinds.KINDS
