"""What the complaints book tells people and when, through the notification
service (mac/notify): the citizen gets the constancia when the claim is
filed and the answer when it is given; the officer and the alternate are
alerted before the deadline and when it has passed. The background work
each claim schedules is enqueued in the filing transaction: both or
neither."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from mac.core.dates import spelled
from mac.core.links import absolute
from mac.core.phones import mobile_e164

if TYPE_CHECKING:
    from mac.catalog.models import Entity
    from mac.quality.models import Complaint


def day_text(day: dt.date, language: str = "es") -> str:
    """ "viernes 5 de febrero de 2027"."""
    return spelled(day, language, weekday=True)


def moment_text(moment: dt.datetime, language: str = "es") -> str:
    """ "23 de diciembre de 2026, 10:15" in Lima time."""
    return spelled(moment, language)


def track_url(code: str = "") -> str:
    """The tracking page; with the code filled in when given (not in SMS,
    where every character counts and the code is in the text)."""
    url = absolute(reverse("quality:track"))
    return url + "?" + urlencode({"codigo": code}) if code else url


def staff_url(complaint: Complaint) -> str:
    return absolute(reverse("quality:staff_detail", args=[complaint.pk]))


def _mobile(phone: str) -> str | None:
    """The phone when SMS can reach it (a mobile), else None."""
    return phone if phone and mobile_e164(phone) else None


def schedule(complaint: Complaint) -> None:
    """Enqueue the constancia for the citizen and the deadline alerts."""
    from mac.quality import deadlines, tasks

    tasks.send_filed_notice.enqueue(complaint.pk)
    soon, over = deadlines.alert_times(complaint.due_date)
    tasks.alert_due_soon.using(run_after=soon).enqueue(complaint.pk)
    tasks.alert_overdue.using(run_after=over).enqueue(complaint.pk)


def filed(complaint: Complaint) -> None:
    """The constancia by email (PDF attached) and the code by SMS."""
    from mac.notify.actions import Attachment, send
    from mac.quality.constancia import constancia_pdf, filename

    language = complaint.language
    email = complaint.email or None
    phone = _mobile(complaint.phone)
    if not email and not phone:
        return
    attachments = (
        [Attachment(filename(complaint), constancia_pdf(complaint), "application/pdf")]
        if email
        else []
    )
    send(
        "complaint_filed",
        email=email,
        phone=phone,
        language=language,
        context={
            "code": complaint.code,
            "entity": complaint.entity.name,
            "filed_at": moment_text(complaint.filed_at, language),
            "due_date": day_text(complaint.due_date, language),
            "track_url": track_url(),
        },
        attachments=attachments,
        ref=f"quality.complaint:{complaint.pk}",
    )


def answered(complaint: Complaint, *, by_email: bool) -> None:
    """The answer by email when the citizen accepted it; an SMS that it is
    ready (to read on the tracking page) when there is a mobile."""
    from mac.notify.actions import send

    email = complaint.email if by_email else None
    phone = _mobile(complaint.phone)
    if not email and not phone:
        return
    send(
        "complaint_answered",
        email=email,
        phone=phone,
        language=complaint.language,
        context={
            "code": complaint.code,
            "entity": complaint.entity.name,
            "answer": complaint.answer,
            "track_url": track_url(),
        },
        ref=f"quality.complaint:{complaint.pk}",
    )


def staff_recipients(entity: Entity) -> list[Any]:
    """The entity's officer and alternate who can be reached by email."""
    from mac.accounts.models import User
    from mac.quality.models import ComplaintOfficer

    row = ComplaintOfficer.objects.filter(entity=entity).first()
    if row is None:
        return []
    ids = [row.officer_id] + ([row.alternate_id] if row.alternate_id else [])
    # Only while they still belong to the entity (see access.officer_entity_ids).
    staff = User.objects.filter(pk__in=ids, is_active=True, entity=entity)
    return list(staff.exclude(Q(email="")).order_by("pk"))


def deadline_alert(
    complaint: Complaint, which: str, recipients: list[Any], *, today: dt.date
) -> None:
    from mac.core.calendar import declared_non_working_days
    from mac.notify.actions import send
    from mac.quality.deadlines import business_days_left

    declared = declared_non_working_days(
        min(today, complaint.due_date), max(today, complaint.due_date)
    )
    left = business_days_left(today, complaint.due_date, declared)
    context: dict[str, str | int] = {
        "code": complaint.code,
        "entity": complaint.entity.name,
        "due_date": day_text(complaint.due_date),
        "staff_url": staff_url(complaint),
    }
    if which == "due_soon":
        context["days_left"] = left
    for user in recipients:
        send(
            f"complaint_{which}",
            email=user.email,
            language="es",
            context=context,
            ref=f"quality.complaint:{complaint.pk}",
        )
