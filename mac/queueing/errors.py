"""Errors of queue actions, each with the HTTP status the API answers."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mac.core.language import joined, with_spanish


class QueueError(Exception):
    status = 409

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class NotFound(QueueError):
    status = 404


class Forbidden(QueueError):
    status = 403


class Invalid(QueueError):
    status = 422


class Conflict(QueueError):
    status = 409


def in_language(code: str) -> str:
    """The language as a sentence names it, "en quechua" (one message each, so
    that Quechua puts its suffix on the name)."""
    phrases = {
        "qu": _("en quechua"),
        "ay": _("en aimara"),
        "lsp": _("en lengua de señas peruana"),
    }
    return phrases.get(code, code)


class _Unservable(Conflict):
    """A ticket nobody could ever call: the routing policy would leave it
    waiting until the citizen gave up. The refusal is worded for whoever
    reads it, `text(audience)`: the citizen at a kiosk ("citizen"), the staff
    who issue tickets at orientation or through the API ("desk"), an advisor
    at a counter ("counter"), the citizen booking an appointment on the
    portal or through the API, or the operator booking for them ("booking":
    the booking is refused because its check-in would be), the citizen who
    already holds a booking that check-in would refuse ("holder": its page,
    or its rescheduling). `message` is the one for the action's caller."""

    code = ""

    def __init__(self, *, center: str, service: str, audience: str):
        self.center = center
        self.service = service
        super().__init__(self.text(audience), code=self.code)

    def _templates(self) -> dict[str, str]:
        """Each audience's message ("desk" also for any other)."""
        raise NotImplementedError

    def _params(self) -> dict[str, str]:
        """Parameters other than the Spanish names (center, service)."""
        return {}

    def text(self, audience: str) -> str:
        templates = self._templates()
        template = templates.get(audience, templates["desk"])
        names = {"center": self.center, "service": self.service}
        return with_spanish(template, names, **self._params())


class LanguageUnavailable(_Unservable):
    """No active counter of the center serves the service in the language the
    citizen needs (Ley 29735)."""

    code = "language_unavailable"

    def __init__(self, *, center: str, service: str, language: str, audience: str):
        self.language = language
        super().__init__(center=center, service=service, audience=audience)

    def _params(self) -> dict[str, str]:
        return {"language": in_language(self.language)}

    def _templates(self) -> dict[str, str]:
        return {
            "citizen": _(
                "En este Centro MAC ningún módulo atiende «%(service)s» %(language)s."
                " Puedes continuar en castellano, o pedir ayuda en orientación."
            ),
            "counter": _(
                "Ningún módulo de %(center)s atiende «%(service)s» %(language)s: el ticket"
                " esperaría sin que nadie lo llame. Indique al ciudadano que en orientación"
                " pueden emitirlo en castellano o coordinar un intérprete."
            ),
            "desk": _(
                "Ningún módulo de %(center)s atiende «%(service)s» %(language)s: el ticket"
                " esperaría sin que nadie lo llame. Emítalo en castellano o coordine un"
                " intérprete."
            ),
            "booking": _(
                "Ningún módulo de %(center)s atiende «%(service)s» %(language)s. Elige otra"
                " lengua de atención (en castellano siempre te atienden) u otro Centro MAC."
            ),
            "holder": _(
                "Por ahora ningún módulo de %(center)s atiende «%(service)s» %(language)s: el"
                " centro no podrá atender tu cita. Puedes anularla y reservar otra (en"
                " castellano siempre te atienden, o en otro Centro MAC); si no, el centro la"
                " anulará y te avisará."
            ),
        }


class ServiceUnstaffed(_Unservable):
    """The center offers the service but no active counter of it has the
    service among its skills."""

    code = "service_unstaffed"

    def _templates(self) -> dict[str, str]:
        return {
            "citizen": _(
                "Hoy nadie atiende «%(service)s» en %(center)s. Pregunta en orientación:"
                " te dirán dónde puedes hacer este trámite."
            ),
            "counter": _(
                "Ningún módulo habilitado de %(center)s tiene «%(service)s» entre sus"
                " servicios: el ticket esperaría sin que nadie lo llame. Pida a la"
                " coordinación del centro que lo asigne a un módulo, o indique al ciudadano"
                " otro Centro MAC que lo atienda."
            ),
            "desk": _(
                "Ningún módulo habilitado de %(center)s tiene «%(service)s» entre sus"
                " servicios: el ticket esperaría sin que nadie lo llame. Asigne el servicio"
                " a un módulo en la administración, o indique al ciudadano otro Centro MAC"
                " que lo atienda."
            ),
            "booking": _(
                "Por ahora ningún módulo de %(center)s atiende «%(service)s»: no puedes"
                " reservar una cita de este trámite en ese centro. Elige otro Centro MAC."
            ),
            "holder": _(
                "Por ahora ningún módulo de %(center)s atiende «%(service)s»: el centro no"
                " podrá atender tu cita. Puedes anularla y reservar otra en otro Centro MAC;"
                " si no, el centro la anulará y te avisará."
            ),
        }


class CounterStrandsTickets(Conflict):
    """A change of a counter's setup (disabled, moved to another center, a
    service or a language taken off) after which tickets waiting today at its
    center could be called by no active counter: the routing policy would
    leave them waiting until the citizens gave up. Read by staff in the back
    office. `stranded`: (the service's Spanish name, the tickets' language,
    how many), in the order to name them."""

    code = "counter_strands_tickets"

    def __init__(self, *, counter: str, center: str, stranded: list[tuple[str, str, int]]):
        self.stranded = stranded
        count = sum(n for _service, _language, n in stranded)
        tickets = joined(", ", [self._part(*each) for each in stranded])
        problem = ngettext(
            "No se guardó: %(count)s ticket que espera hoy en %(center)s quedaría sin ningún"
            " módulo habilitado que pueda llamarlo (%(tickets)s).",
            "No se guardó: %(count)s tickets que esperan hoy en %(center)s quedarían sin ningún"
            " módulo habilitado que pueda llamarlos (%(tickets)s).",
            count,
        )
        if any(language != "es" for _service, language, _n in stranded):
            remedy = ngettext(
                "Antes, atiéndalo o derívelo desde el %(counter)s, o anúlelo; o asigne su"
                " servicio, en su lengua, a otro módulo habilitado.",
                "Antes, atiéndalos o derívelos desde el %(counter)s, o anúlelos; o asigne sus"
                " servicios, en su lengua, a otro módulo habilitado.",
                count,
            )
        else:
            remedy = ngettext(
                "Antes, atiéndalo o derívelo desde el %(counter)s, o anúlelo; o asigne su"
                " servicio a otro módulo habilitado.",
                "Antes, atiéndalos o derívelos desde el %(counter)s, o anúlelos; o asigne sus"
                " servicios a otro módulo habilitado.",
                count,
            )
        message = joined(
            " ",
            [
                with_spanish(problem, {"center": center}, count=str(count), tickets=tickets),
                remedy % {"counter": counter},
            ],
        )
        super().__init__(message, code=self.code)

    @staticmethod
    def _part(service: str, language: str, n: int) -> str:
        """One entry of the list: 2 de «Duplicado de DNI», 1 de «Duplicado de DNI»
        en quechua."""
        if language == "es":
            return with_spanish(_("%(count)s de «%(service)s»"), {"service": service}, count=str(n))
        return with_spanish(
            _("%(count)s de «%(service)s» %(language)s"),
            {"service": service},
            count=str(n),
            language=in_language(language),
        )
