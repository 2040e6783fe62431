"""Staff screens of the complaints book (login required): the list with
filters and deadline colours, the detail with the workflow (take in process,
answer, record the notification, archive), attachments and the constancia,
reports and the CSV export, and the claim sheet filled with a citizen at a
center or on the phone.

Which claims a user sees comes from mac.quality.access only. Every view that
shows or exports a claim's personal data writes the access log
(PersonalDataAccess) after the access check, never before."""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mac.accounts.models import Role
from mac.centers.models import Center
from mac.core.access import role_of
from mac.core.calendar import declared_non_working_days, today_lima
from mac.quality import access, actions, constancia, deadlines, notices, queries
from mac.quality.conf import conf
from mac.quality.errors import QualityError
from mac.quality.forms import AnswerForm, ComplaintForm, NotificationForm
from mac.quality.models import Channel, Complaint, PersonalDataAccess
from mac.quality.views import refill, remember, sheet_context, too_large, ui_language

PAGE_SIZE = 50


def _reader(request: HttpRequest) -> Any:
    if not access.reads_complaints(request.user):
        raise PermissionDenied(_("No tiene acceso al Libro de Reclamaciones."))
    return request.user


def _open_first(qs: Any) -> Any:
    return qs.order_by(
        Case(
            When(status__in=Complaint.OPEN_STATUSES, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "due_date",
        "pk",
    )


# -- The list ---------------------------------------------------------------------------------


@login_required
@require_safe
@never_cache
def staff_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    filters = queries.parse_filters(request.GET)
    today = today_lima()
    qs = queries.filtered(
        access.complaints_visible_to(user).select_related("entity", "center"), filters, today
    )
    page = Paginator(_open_first(qs), PAGE_SIZE).get_page(request.GET.get("pagina"))
    params = {k: v for k, v in request.GET.items() if k != "pagina" and v}
    context = {
        "rows": queries.with_urgency(list(page.object_list), today),
        "page": page,
        "filters": filters,
        "query": urlencode(params),
        "entities": access.entities_for_filter(user),
        "centers": Center.objects.order_by("name"),
        "statuses": Complaint.Status.choices,
        "categories": Complaint.Category.choices,
        "channels": Channel.choices,
        "alert_days": conf("ALERT_BUSINESS_DAYS_BEFORE"),
        "section": "list",
    }
    return render(request, "quality/staff_list.html", context)


# -- One claim -------------------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    complaint: Complaint,
    *,
    answer_form: AnswerForm | None = None,
    notification_form: NotificationForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    actions.log_access(user, PersonalDataAccess.Purpose.DETAIL, [complaint])
    today = today_lima()
    declared = declared_non_working_days(
        min(today, complaint.due_date), max(today, complaint.due_date)
    )
    context = {
        "complaint": complaint,
        "urgency": deadlines.urgency(
            today, complaint.due_date, is_open=complaint.is_open, declared=declared
        ),
        "filed_at": notices.moment_text(complaint.filed_at),
        "due_date": notices.day_text(complaint.due_date),
        "events": complaint.events.select_related("by"),
        "attachments": complaint.attachments.all(),
        "handles": access.handles(user, complaint),
        "answer_form": answer_form or AnswerForm(),
        "notification_form": notification_form or NotificationForm(),
        "error": error,
        "section": "list",
    }
    return render(request, "quality/staff_detail.html", context, status=status)


@login_required
@require_safe
@never_cache
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = access.get_complaint_for(request.user, pk)
    return _detail(request, complaint)


def _workflow(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    complaint = access.get_complaint_for(request.user, pk)
    answer_form = AnswerForm(request.POST) if step == "answer" else None
    notification_form = NotificationForm(request.POST) if step == "notify" else None
    try:
        if step == "take":
            actions.take_in_process(complaint.pk, by=request.user)
            done = _("El reclamo está en trámite.")
        elif step == "answer":
            assert answer_form is not None
            if not answer_form.is_valid():
                return _detail(request, complaint, answer_form=answer_form, status=422)
            answered = actions.answer(
                complaint.pk, text=answer_form.cleaned_data["answer"], by=request.user
            )
            done = (
                _("Respuesta registrada y enviada por correo al ciudadano.")
                if answered.status == Complaint.Status.NOTIFIED
                else _(
                    "Respuesta registrada. El ciudadano no aceptó el correo: entrégala en su "
                    "domicilio y registra la notificación."
                )
            )
        elif step == "notify":
            assert notification_form is not None
            if not notification_form.is_valid():
                return _detail(request, complaint, notification_form=notification_form, status=422)
            actions.record_notification(
                complaint.pk,
                via=notification_form.cleaned_data["via"],
                note=notification_form.cleaned_data["note"],
                by=request.user,
            )
            done = _("Notificación de la respuesta registrada.")
        else:
            actions.archive(complaint.pk, by=request.user)
            done = _("Reclamo archivado.")
    except QualityError as refused:
        if answer_form is not None and answer_form.is_valid():
            answer_form.add_action_error(refused)
        return _detail(
            request,
            complaint,
            answer_form=answer_form,
            notification_form=notification_form,
            error=refused.message,
            status=refused.status,
        )
    messages.success(request, done)
    return redirect("quality:staff_detail", pk=complaint.pk)


@login_required
@require_POST
def take(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow(request, pk, "take")


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow(request, pk, "answer")


@login_required
@require_POST
def notify(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow(request, pk, "notify")


@login_required
@require_POST
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow(request, pk, "archive")


@login_required
@require_safe
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    complaint = access.get_complaint_for(request.user, pk)
    item = complaint.attachments.filter(pk=attachment_id).first()
    if item is None:
        raise Http404
    actions.log_access(request.user, PersonalDataAccess.Purpose.ATTACHMENT, [complaint])
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.name,
        content_type=item.content_type,
    )


@login_required
@require_safe
def staff_constancia(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = access.get_complaint_for(request.user, pk)
    actions.log_access(request.user, PersonalDataAccess.Purpose.CONSTANCIA, [complaint])
    response = HttpResponse(constancia.constancia_pdf(complaint, "es"), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{constancia.filename(complaint)}"'
    return response


# -- Reports and export -------------------------------------------------------------------------


@login_required
@require_safe
@never_cache
def reports(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    filters = queries.parse_filters(request.GET)
    today = today_lima()
    filters.year = filters.year or today.year
    qs = queries.filtered(access.complaints_visible_to(user), filters, today)
    report = queries.report(qs, today)
    params = {k: v for k, v in request.GET.items() if v}
    context = {
        "report": report,
        "titles": queries.dimension_titles(),
        "filters": filters,
        "entities": access.entities_for_filter(user),
        "years": range(today.year, today.year - 5, -1),
        "query": urlencode({**params, "anio": filters.year}),
        "section": "reports",
    }
    return render(request, "quality/staff_reports.html", context)


@login_required
@require_safe
def export(request: HttpRequest) -> HttpResponse:
    """The claims of the list's filters as CSV, personal data included: every
    record exported is written to the access log."""
    user = _reader(request)
    filters = queries.parse_filters(request.GET)
    qs = queries.filtered(
        access.complaints_visible_to(user).select_related("entity", "center"),
        filters,
        today_lima(),
    )
    complaints = list(qs.order_by("filed_at", "pk"))
    actions.log_access(user, PersonalDataAccess.Purpose.EXPORT, complaints)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reclamos.csv"'
    response.write("\ufeff")  # so that spreadsheets read UTF-8
    csv.writer(response).writerows(queries.export_rows(complaints))
    return response


# -- Filing with a citizen ------------------------------------------------------------------------


def _fixed_place(user: Any) -> str:
    """What the staff form says about the place, or "" when they choose it."""
    role = role_of(user)
    if role in (Role.ORIENTATION, Role.CENTER_COORDINATOR, Role.ADVISOR):
        return str(user.center)
    if role == Role.CALL_CENTER:
        return str(Channel.PHONE.label)
    return ""


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def staff_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.files_for_citizens(user):
        raise PermissionDenied(_("Su rol no registra reclamos por los ciudadanos."))
    place = _fixed_place(user)
    extra = {"staff": True, "place": place, "section": "new", "pow_required": False}
    fixed = bool(place)
    if request.method != "POST":
        form = ComplaintForm(fixed_place=fixed)
        return render(request, "quality/sheet.html", sheet_context(form, **extra))
    if too_large(request):
        form = ComplaintForm(fixed_place=fixed)
        form.add_error(None, _("Los archivos adjuntos superan los 20 MB en total."))
        return render(request, "quality/sheet.html", sheet_context(form, **extra), status=413)
    if "mostrar" in request.POST:
        form = refill(request, fixed_place=fixed)
        return render(request, "quality/sheet.html", sheet_context(form, **extra))
    form = ComplaintForm(request.POST, request.FILES, fixed_place=fixed)
    status = 422
    if form.is_valid():
        try:
            complaint = actions.file_complaint(
                form.sheet(ui_language()),
                attachments=form.cleaned_data["attachments"],
                by=user,
            )
        except QualityError as refused:
            form.add_action_error(refused)
            status = refused.status
        else:
            remember(request, complaint)
            return redirect("quality:filed")
    return render(request, "quality/sheet.html", sheet_context(form, **extra), status=status)
