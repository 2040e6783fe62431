"""Public pages of the complaints book (Libro de Reclamaciones) on Portal
MAC: the first step that tells a reclamo from what is not one, the claim
sheet, the confirmation with the constancia, and tracking by code and
document.

Who may see a claim. Only the browser that filed it, or that proved its code
and document on the tracking page: it is remembered in the session for
REMEMBER_MINUTES and the confirmation, tracking and constancia views read it
from there. No URL names a claim, and a wrong code or document reveals
nothing (the same "not found" for both)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mac.core import pow
from mac.core.models import Province
from mac.quality import actions, constancia, notices
from mac.quality.conf import MAX_ATTACHMENT_BYTES, conf
from mac.quality.errors import QualityError
from mac.quality.forms import ComplaintForm, LookupForm, TriageForm
from mac.quality.models import Complaint, PersonalDataAccess

SESSION_KEY = "quality.complaint"
REMEMBER_MINUTES = 60
# A request body this large cannot be a claim within the 20 MB of
# attachments: refused without checking its files. (Django has already
# streamed them to temporary files for the CSRF check; the proxy in front
# caps request bodies in production.)
MAX_BODY = MAX_ATTACHMENT_BYTES + 5 * 1024 * 1024

# The first step: what the person wants to do.
REASONS: list[tuple[str, Any]] = [
    (
        "reclamo",
        gettext_lazy(
            "Estoy insatisfecho con la atención que recibí: el trato, la información, "
            "la espera, el acceso o el resultado."
        ),
    ),
    (
        "consulta",
        gettext_lazy("Tengo una consulta: requisitos, costos, plazos o cómo va un trámite."),
    ),
    (
        "denuncia",
        gettext_lazy(
            "Quiero denunciar un acto de corrupción, un delito o una falta de un servidor público."
        ),
    ),
    (
        "recurso",
        gettext_lazy(
            "No estoy de acuerdo con lo que la entidad decidió en mi trámite "
            "y quiero que lo revise."
        ),
    ),
    ("sugerencia", gettext_lazy("Tengo una sugerencia para mejorar el servicio.")),
    ("felicitacion", gettext_lazy("Quiero felicitar a un asesor o a un Centro MAC.")),
]
ROUTED = {"consulta", "denuncia", "recurso", "sugerencia"}


def client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def ui_language() -> str:
    return "qu" if (get_language() or "").startswith("qu") else "es"


# -- The claim this browser may see --------------------------------------------------


def remember(request: HttpRequest, complaint: Complaint) -> None:
    until = timezone.now() + dt.timedelta(minutes=REMEMBER_MINUTES)
    request.session[SESSION_KEY] = {
        "code": complaint.code,
        "document_type": complaint.document_type,
        "document_number": complaint.document_number,
        "until": until.timestamp(),
    }


def remembered(request: HttpRequest) -> Complaint | None:
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or data.get("until", 0) < timezone.now().timestamp():
        return None
    try:
        return actions.get_complaint(
            str(data["code"]), str(data["document_type"]), str(data["document_number"])
        )
    except (QualityError, KeyError):
        return None


# -- First step: is it a reclamo? ----------------------------------------------------------


@require_safe
def triage(request: HttpRequest) -> HttpResponse:
    reason = request.GET.get("motivo")
    # "Continuar" names itself: without a choice the browser sends no motivo,
    # and the page must say so rather than show itself again unchanged.
    sent = reason is not None or "continuar" in request.GET
    form = TriageForm(request.GET if sent else None, choices=REASONS)
    if sent and form.is_valid():
        chosen = form.cleaned_data["motivo"]
        if chosen == "reclamo":
            return redirect("quality:sheet")
        if chosen == "felicitacion":
            return redirect("compliments:new")
        return render(request, "quality/triage_route.html", {"reason": chosen, "form": form})
    status = 422 if sent else 200
    return render(request, "quality/triage.html", {"form": form}, status=status)


# -- The claim sheet -------------------------------------------------------------------------


def sheet_context(form: ComplaintForm, **extra: Any) -> dict[str, Any]:
    return {
        "form": form,
        "max_attachments": conf("MAX_ATTACHMENTS"),
        "pow_required": conf("POW_REQUIRED"),
        **extra,
    }


def refill(request: HttpRequest, **kwargs: Any) -> ComplaintForm:
    """The form as sent, unbound: to narrow the ubigeo selects without
    JavaScript (no errors shown yet; files must be chosen again)."""
    initial = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "pow")}
    return ComplaintForm(initial=initial, **kwargs)


def too_large(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY
    except ValueError:
        return False


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def sheet(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "quality/sheet.html", sheet_context(ComplaintForm()))
    if too_large(request):
        form = ComplaintForm()
        form.add_error(None, _("Los archivos adjuntos superan los 20 MB en total."))
        return render(request, "quality/sheet.html", sheet_context(form), status=413)
    if "mostrar" in request.POST:
        return render(request, "quality/sheet.html", sheet_context(refill(request)))
    form = ComplaintForm(request.POST, request.FILES)
    status = 422
    if form.is_valid():
        if conf("POW_REQUIRED"):
            try:
                pow.verify(request.POST.get("pow", ""), purpose=pow.Purpose.COMPLAINTS)
            except pow.PowError:
                form.add_error(
                    None,
                    _(
                        "No pudimos completar la verificación de seguridad de tu navegador. "
                        "Espera unos segundos y vuelve a enviar el reclamo."
                    ),
                )
                return render(request, "quality/sheet.html", sheet_context(form), status=400)
        try:
            complaint = actions.file_complaint(
                form.sheet(ui_language()),
                attachments=form.cleaned_data["attachments"],
                client_address=client_address(request),
            )
        except QualityError as refused:
            form.add_action_error(refused)
            status = refused.status
        else:
            remember(request, complaint)
            return redirect("quality:filed")
    return render(request, "quality/sheet.html", sheet_context(form), status=status)


@require_safe
def ubigeo(request: HttpRequest) -> HttpResponse:
    """The province and district selects (htmx), narrowed to the department
    or province chosen."""
    part = request.GET.get("parte", "provincia")
    # Ubigeo codes are digits: anything else (a NUL, which PostgreSQL cannot
    # compare) narrows to nothing.
    department = request.GET.get("department", "")[:2]
    province = request.GET.get("province", "")[:4]
    department = department if department.isascii() and department.isdigit() else ""
    province = province if province.isascii() and province.isdigit() else ""
    if part == "distrito" and not Province.objects.filter(code=province).exists():
        province = ""
    if part == "provincia":
        province = ""
    form = ComplaintForm(initial={"department": department, "province": province})
    template = (
        "quality/_ubigeo_district.html" if part == "distrito" else "quality/_ubigeo_lower.html"
    )
    return render(request, template, {"form": form})


# -- After filing ----------------------------------------------------------------------------


def _complaint_context(complaint: Complaint) -> dict[str, Any]:
    language = ui_language()
    return {
        "complaint": complaint,
        "filed_at": notices.moment_text(complaint.filed_at, language),
        "due_date": notices.day_text(complaint.due_date, language),
    }


@require_safe
@never_cache
def filed(request: HttpRequest) -> HttpResponse:
    complaint = remembered(request)
    if complaint is None:
        return redirect("quality:track")
    return render(request, "quality/filed.html", _complaint_context(complaint))


@require_safe
@never_cache
def constancia_download(request: HttpRequest) -> HttpResponse:
    complaint = remembered(request)
    if complaint is None:
        raise Http404
    if request.user.is_authenticated:
        # Staff who filed for a citizen keep the claim in their session for a
        # while: the constancia carries the citizen's personal data, so their
        # download is logged as the staff pages' is.
        actions.log_access(request.user, PersonalDataAccess.Purpose.CONSTANCIA, [complaint])
    pdf = constancia.constancia_pdf(complaint, ui_language())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{constancia.filename(complaint)}"'
    return response


# -- Tracking ----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def track(request: HttpRequest) -> HttpResponse:
    """Code and document: the key to one's claim."""
    status = 200
    if request.method == "POST":
        form = LookupForm(request.POST)
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint = actions.get_complaint(
                    data["code"],
                    data["document_type"],
                    data["document_number"],
                    client_address=client_address(request),
                )
            except QualityError as refused:
                form.add_action_error(refused)
                status = refused.status
            else:
                remember(request, complaint)
                return redirect("quality:tracked")
    else:
        code = "".join(request.GET.get("codigo", "").split()).upper()[:40]
        form = LookupForm(initial={"code": code})
    return render(request, "quality/track.html", {"form": form}, status=status)


@require_safe
@never_cache
def tracked(request: HttpRequest) -> HttpResponse:
    complaint = remembered(request)
    if complaint is None:
        return redirect("quality:track")
    context = _complaint_context(complaint)
    if complaint.answered_at:
        context["answered_at"] = notices.moment_text(complaint.answered_at, ui_language())
    return render(request, "quality/tracked.html", context)


@require_POST
def forget(request: HttpRequest) -> HttpResponse:
    """Leave: this browser no longer shows the claim (shared computers)."""
    request.session.pop(SESSION_KEY, None)
    return redirect("quality:track")


# -- Proof of work -------------------------------------------------------------------------------


@require_safe
@never_cache
def pow_challenge(request: HttpRequest) -> JsonResponse:
    """A fresh proof-of-work challenge for the claim sheet."""
    challenge = pow.new_challenge(
        purpose=pow.Purpose.COMPLAINTS,
        max_number=conf("POW_MAX_NUMBER"),
        seconds=conf("POW_SECONDS"),
    )
    return JsonResponse(challenge.as_dict())
