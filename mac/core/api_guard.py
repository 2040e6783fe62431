"""What the API asks of a caller before an action that a page guards
(docs/architecture.md, "A guard belongs to the action"): staff credentials,
or else, from an anonymous client, the proof of work that the page asks the
citizen's browser for (mac/core/pow.py).

One implementation for every API that guards an action (appointments, the
complaints book): who is calling (`staff_caller`), the `X-Proof-Of-Work`
header (`proof_header`), spending the proof or refusing the request
(`check_proof`: 403 `pow_required` or `pow_invalid`), and the challenge
endpoint's answer (`serve_challenge`). Each book serves its own challenge,
sized and timed by its own settings as its pages' challenges are, for its
own purpose (`pow.Purpose`: a proof of another book's challenge is
`pow_invalid`), and decides who needs no proof (its staff); the checks run
before the action, so a refused request writes nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from ninja import Field, Header, Schema

from mac.accounts.apikeys import api_key
from mac.core import pow

PROOF_HEADER = "X-Proof-Of-Work"


class Refused(Exception):
    """A request refused before its action ran: 403 with a stable `code`
    (mac/api.py answers it as every refusal, {detail, code})."""

    status = 403

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def staff_caller(request: HttpRequest) -> Any:
    """The user of the request's API key (a wrong key is a 401), or the
    signed-in user after the CSRF check a session requires (403 `csrf`); None
    for an anonymous client. Which roles may do what is the caller's to say."""
    user: Any = api_key(request)  # None without a Bearer header; 401 for a wrong key
    if user is not None:
        return user
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return None
    refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})  # type: ignore[arg-type,return-value]
    if refused is not None:
        raise Refused(_("Falta el token CSRF de la sesión."), code="csrf")
    return user


def describe(*, challenge: str, pages: str, exempt: str) -> str:
    """The OpenAPI description of a guarded endpoint (Spanish, like the rest
    of the spec): `challenge` is the path of the book's challenge endpoint,
    `pages` the pages that ask the same, `exempt` who sends no proof."""
    return (
        "Un cliente sin credenciales (sin sesión ni clave de API) debe enviar una prueba de"
        f" trabajo, como la que piden {pages} al navegador: pide un desafío con"
        f" GET {challenge}, halla el número n entre 0 y maxnumber tal que el"
        " SHA-256 (hexadecimal) de salt seguido de n en decimal sea challenge, y envía en la"
        f" cabecera {PROOF_HEADER} el JSON {{algorithm, challenge, number, salt, signature}} en"
        " base64. Cada solución sirve para una sola solicitud (también si esta se rechaza) y"
        " vence con su desafío; solo vale la de un desafío de este mismo endpoint. Sin la"
        " cabecera, 403 pow_required; con una solución inválida, vencida, ya usada o de un"
        " desafío de otro libro, 403 pow_invalid; en ambos casos no se guarda nada ni se cuenta"
        f" para los límites. {exempt} (sesión con token CSRF o clave de API) no la envía."
    )


def proof_header(challenge: str) -> Any:
    """The header parameter of a guarded endpoint (one each); `challenge` is
    the path of the book's challenge endpoint."""
    return Header(
        None,
        alias=PROOF_HEADER,
        description=(
            f"solución del desafío de GET {challenge} (JSON en base64);"
            " obligatoria para un cliente sin credenciales"
        ),
    )


def check_proof(required: bool, proof: str | None, *, challenge: str, purpose: pow.Purpose) -> None:
    """Spend the anonymous client's proof of work, or refuse the request (403,
    nothing written). `required` is the book's rule (staff need none);
    `challenge` is the URL name of the book's challenge endpoint, which the
    refusal names, and `purpose` the book's (`serve_challenge`'s)."""
    if not required:
        return
    if not proof:
        raise Refused(
            _(
                "Falta la prueba de trabajo: pide un desafío en %(url)s, resuélvelo y envía"
                " la solución en la cabecera %(header)s."
            )
            % {"url": reverse(challenge), "header": PROOF_HEADER},
            code="pow_required",
        )
    try:
        pow.verify(proof, purpose=purpose)
    except pow.PowError:
        raise Refused(
            _(
                "La prueba de trabajo no es válida, ya venció o ya se usó: pide un desafío"
                " nuevo en %(url)s y resuélvelo."
            )
            % {"url": reverse(challenge)},
            code="pow_invalid",
        ) from None


class ChallengeOut(Schema):
    algorithm: str = Field(description='siempre "SHA-256"')
    challenge: str = Field(description="SHA-256 (hexadecimal) de salt seguido del número buscado")
    maxnumber: int = Field(description="el número buscado está entre 0 y maxnumber")
    salt: str = Field(description="sal; termina en ?expires= y el vencimiento (segundos Unix)")
    signature: str = Field(description="firma del servidor; se devuelve sin cambios")


def serve_challenge(
    response: HttpResponse, *, purpose: pow.Purpose, max_number: int, seconds: int
) -> dict[str, Any]:
    """A fresh challenge for a challenge endpoint's answer, never cached; a
    proof of it is accepted only where `purpose` is checked."""
    add_never_cache_headers(response)
    challenge = pow.new_challenge(purpose=purpose, max_number=max_number, seconds=seconds)
    return challenge.as_dict()
