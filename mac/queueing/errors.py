"""Errors of queue actions, each with the HTTP status the API answers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mac.core.language import with_spanish


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


def _in_language(code: str) -> str:
    """The language as a sentence names it, "en quechua" (one message each, so
    that Quechua puts its suffix on the name)."""
    phrases = {
        "qu": _("en quechua"),
        "ay": _("en aimara"),
        "lsp": _("en lengua de señas peruana"),
    }
    return phrases.get(code, code)


class LanguageUnavailable(Conflict):
    """No active counter of the center serves the service in the language the
    citizen needs: the ticket would wait until they gave up (Ley 29735). The
    refusal is worded for whoever reads it, `text(audience)`: the citizen at a
    kiosk ("citizen"), the staff who issue tickets at orientation or through
    the API ("desk"), an advisor at a counter ("counter"). `message` is the
    one for the action's caller."""

    AUDIENCES = ("citizen", "desk", "counter")

    def __init__(self, *, center: str, service: str, language: str, audience: str):
        self.center = center
        self.service = service
        self.language = language
        super().__init__(self.text(audience), code="language_unavailable")

    def text(self, audience: str) -> str:
        names = {"center": self.center, "service": self.service}
        language = _in_language(self.language)
        if audience == "citizen":
            template = _(
                "En este Centro MAC ningún módulo atiende «%(service)s» %(language)s."
                " Puedes continuar en castellano, o pedir ayuda en orientación."
            )
        elif audience == "counter":
            template = _(
                "Ningún módulo de %(center)s atiende «%(service)s» %(language)s: el ticket"
                " esperaría sin que nadie lo llame. Indique al ciudadano que en orientación"
                " pueden emitirlo en castellano o coordinar un intérprete."
            )
        else:
            template = _(
                "Ningún módulo de %(center)s atiende «%(service)s» %(language)s: el ticket"
                " esperaría sin que nadie lo llame. Emítalo en castellano o coordine un"
                " intérprete."
            )
        return with_spanish(template, names, language=language)


class ServiceUnstaffed(Conflict):
    """The center offers the service but no active counter of it has the
    service among its skills: the routing policy would never call the ticket,
    and the citizen would wait until they gave up. Worded for whoever reads
    it, as `LanguageUnavailable` (`text(audience)`)."""

    AUDIENCES = ("citizen", "desk", "counter")

    def __init__(self, *, center: str, service: str, audience: str):
        self.center = center
        self.service = service
        super().__init__(self.text(audience), code="service_unstaffed")

    def text(self, audience: str) -> str:
        names = {"center": self.center, "service": self.service}
        if audience == "citizen":
            template = _(
                "Hoy nadie atiende «%(service)s» en %(center)s. Pregunta en orientación:"
                " te dirán dónde puedes hacer este trámite."
            )
        elif audience == "counter":
            template = _(
                "Ningún módulo habilitado de %(center)s tiene «%(service)s» entre sus"
                " servicios: el ticket esperaría sin que nadie lo llame. Pida a la"
                " coordinación del centro que lo asigne a un módulo, o indique al ciudadano"
                " otro Centro MAC que lo atienda."
            )
        else:
            template = _(
                "Ningún módulo habilitado de %(center)s tiene «%(service)s» entre sus"
                " servicios: el ticket esperaría sin que nadie lo llame. Asigne el servicio"
                " a un módulo en la administración, o indique al ciudadano otro Centro MAC"
                " que lo atienda."
            )
        return with_spanish(template, names)
