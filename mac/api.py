"""The JSON API under /api/v1/; each app contributes its router."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from mac.appointments.api import router as appointments_router
from mac.appointments.errors import AppointmentError
from mac.catalog.api import router as catalog_router
from mac.centers.api import router as centers_router
from mac.core.api_guard import Refused
from mac.core.errors import ApiRefusal
from mac.quality.api import router as quality_router
from mac.quality.errors import QualityError
from mac.queueing.api import router as queueing_router
from mac.queueing.errors import QueueError
from mac.surveys.api import router as surveys_router
from mac.surveys.errors import SurveyError

FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


class NotJson(Exception):
    """A form body sent to an operation that reads JSON."""


class JsonBodies(Parser):
    """Bodies are JSON, whatever their declared type (ninja's reading: some
    clients send JSON as text/plain), except a form: Django parses those
    into request.POST, the operation's schema would never see its fields,
    and a client that sent one would have its data silently dropped. An
    empty body (no bytes) is no body, whatever its type: ninja does not
    call the parser then. (The body is kept readable by
    `mac.core.middleware.ApiBodyMiddleware`.)"""

    def parse_body(self, request: HttpRequest) -> Any:
        if request.content_type in FORMS:
            raise NotJson(request.content_type)
        return super().parse_body(request)


api = NinjaAPI(
    title="Plataforma MAC API",
    version="1",
    description=(
        "API pública y de canales de la Plataforma MAC. Los cuerpos de las solicitudes van en"
        " JSON (application/json): un formulario (multipart/form-data o"
        " application/x-www-form-urlencoded) se rechaza con 415 unsupported_media_type y un"
        " JSON mal formado con 400 invalid_json; un cuerpo vacío equivale a no enviar cuerpo."
        " Toda respuesta de error es un JSON {detail, code}: detail dice por qué (en castellano),"
        " code es estable, para los programas. Con la sesión del personal, una solicitud que"
        " cambia algo (POST) sin el token CSRF (cabecera X-CSRFToken) se rechaza con 403 csrf."
    ),
    urls_namespace="api",
    parser=JsonBodies(),
)
api.add_router("", catalog_router)
api.add_router("", centers_router)
api.add_router("/queue", queueing_router)
api.add_router("", appointments_router)
api.add_router("", quality_router)
api.add_router("", surveys_router)


@api.exception_handler(QueueError)
def queue_error(request: HttpRequest, exc: QueueError) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.message, "code": exc.code}, status=exc.status
    )


@api.exception_handler(AppointmentError)
def appointment_error(request: HttpRequest, exc: AppointmentError) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.message, "code": exc.code}, status=exc.status
    )


@api.exception_handler(SurveyError)
def survey_error(request: HttpRequest, exc: SurveyError) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.message, "code": exc.code}, status=exc.status
    )


@api.exception_handler(QualityError)
def quality_error(request: HttpRequest, exc: QualityError) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.message, "code": exc.code}, status=exc.status
    )


@api.exception_handler(ApiRefusal)
def api_refusal(request: HttpRequest, exc: ApiRefusal) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.message, "code": exc.code}, status=exc.status
    )


@api.exception_handler(Refused)
def refused_before_the_action(request: HttpRequest, exc: Refused) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.message, "code": exc.code}, status=exc.status
    )


# Every refusal has the same shape, {detail, code} (mac.core.schemas.ErrorOut).
@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = _("Inicie sesión o envíe una clave de API válida.")
    return api.create_response(request, {"detail": detail, "code": "unauthenticated"}, status=401)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: list[str] = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ("query", "service") names the field; ("body", "data", "service") too
        # after the view's parameter.
        name = ".".join(loc[2:] if loc[:1] == ["body"] and len(loc) > 2 else loc[1:])
        if name and name not in fields:
            fields.append(name)
    detail = _("Datos no válidos: %(fields)s.") % {"fields": ", ".join(fields)}
    return api.create_response(
        request, {"detail": detail, "code": "invalid", "errors": exc.errors}, status=422
    )


# ninja's session authentication (`django_auth`) refuses a session without a
# valid CSRF token with HttpError(403, NINJA_CSRF_REFUSAL), in English and
# without a code; the tests of the refusal hold ninja to this text.
NINJA_CSRF_REFUSAL = "CSRF check Failed"


def is_ninja_csrf_refusal(exc: HttpError) -> bool:
    return type(exc) is HttpError and exc.status_code == 403 and str(exc) == NINJA_CSRF_REFUSAL


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja turns any failure of the parser into HttpError(400, "Cannot parse
    # request body") raised from it: tell a form from bad JSON.
    if isinstance(exc.__cause__, NotJson):
        detail = _("La API recibe JSON: envía el cuerpo con Content-Type: application/json.")
        body = {"detail": detail, "code": "unsupported_media_type"}
        return api.create_response(request, body, status=415)
    if isinstance(exc.__cause__, ValueError):  # json.loads: bad JSON or bad UTF-8
        detail = _("El cuerpo de la solicitud no es un JSON válido.")
        return api.create_response(request, {"detail": detail, "code": "invalid_json"}, status=400)
    if is_ninja_csrf_refusal(exc):
        # The same answer as mac.core.api_guard's, for the same refusal.
        detail = _("Falta el token CSRF de la sesión.")
        return api.create_response(request, {"detail": detail, "code": "csrf"}, status=403)
    # None of ours is raised as an HttpError (they have their exceptions, with
    # their codes): whatever else ninja raises keeps the shape.
    detail = _("No se pudo atender la solicitud.")
    body = {"detail": detail, "code": f"http_{exc.status_code}"}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # get_object_or_404 in an operation: Django's text is English and names a model.
    detail = _("No se encontró lo solicitado.")
    return api.create_response(request, {"detail": detail, "code": "not_found"}, status=404)
