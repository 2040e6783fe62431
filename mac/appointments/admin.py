"""Back office for appointments (see mac/core/admin.py for the role rules).

- National supervisor: every center's bookings; center coordinator of C: C's
  bookings. Read only, without the citizen's document and contact (the
  notices reach the citizen without staff reading them), and with the
  filter "Citas que no se podrán atender": the confirmed bookings still to
  come that check-in would refuse as the center is set up now
  (`queries.affected_bookings`), each with its reason, and the bulk action
  "Anular y avisar al ciudadano" (`actions.cancel_by_center`).
- After a change of a counter, of a center's hours or exceptions, or of the
  declared non-working days leaves such bookings, the page that saved it
  says how many and links to that list (`warn_affected`): the change is not
  refused, the counter may really be gone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.db.models import Case, CharField, QuerySet, Value, When
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mac.accounts.models import Role
from mac.appointments import actions, queries
from mac.appointments.errors import AppointmentError
from mac.appointments.models import Booking
from mac.centers.models import Center
from mac.core import access
from mac.core.admin import ReadOnlyAdmin, role
from mac.core.calendar import to_lima

COORDINATORS = frozenset({access.NATIONAL, Role.CENTER_COORDINATOR})
# The filter's parameter and value: ?atencion=no lists the affected bookings.
AFFECTED_PARAMETER, AFFECTED = "atencion", "no"


def affected_url(center_id: int | None = None) -> str:
    """The back office's list of the bookings that cannot be attended (of
    one center)."""
    params = {AFFECTED_PARAMETER: AFFECTED}
    if center_id is not None:
        params["center__id__exact"] = str(center_id)
    return reverse("admin:appointments_booking_changelist") + "?" + urlencode(params)


def _centers_of(user: Any) -> list[int] | None:
    """The centers whose bookings `user` handles; None: every center."""
    if access.role_of(user) == access.NATIONAL:
        return None
    return list(access.centers_editable_by(user).values_list("pk", flat=True))


def warn_affected(request: HttpRequest, centers: Iterable[int] | None) -> int:
    """After a change in the back office, warn (without refusing it) when
    confirmed bookings of `centers` (None: of every center) cannot be
    attended as the centers are set up now, with their count and a link to
    the list; the number of them. Only bookings the user may handle count."""
    mine = _centers_of(request.user)
    if centers is None:
        centers = mine
    elif mine is not None:
        centers = [pk for pk in centers if pk in mine]
    if centers is not None and not centers:
        return 0
    found = queries.affected_bookings(centers)
    if not found:
        return 0
    by_center: dict[int, int] = defaultdict(int)
    for item in found:
        by_center[item.booking.center_id] += 1
    count = len(found)
    if len(by_center) == 1:
        (center_id,) = by_center
        name = Center.objects.values_list("name", flat=True).get(pk=center_id)
        text = ngettext(
            "Hay %(count)s cita confirmada de %(center)s que no se podrá atender con el centro"
            " configurado así: su registro de llegada se rechazaría.",
            "Hay %(count)s citas confirmadas de %(center)s que no se podrán atender con el"
            " centro configurado así: su registro de llegada se rechazaría.",
            count,
        ) % {"count": count, "center": name}
        url = affected_url(center_id)
    else:
        text = ngettext(
            "Hay %(count)s cita confirmada que no se podrá atender con los centros"
            " configurados así (en %(centers)s centros): su registro de llegada se rechazaría.",
            "Hay %(count)s citas confirmadas que no se podrán atender con los centros"
            " configurados así (en %(centers)s centros): su registro de llegada se rechazaría.",
            count,
        ) % {"count": count, "centers": len(by_center)}
        url = affected_url()
    messages.warning(
        request,
        format_html(
            '{} {} <a href="{}">{}</a>',
            text,
            _("Anúlelas y avise a los ciudadanos, o corrija la configuración:"),
            url,
            _("Citas que no se podrán atender"),
        ),
    )
    return count


class AffectedFilter(admin.SimpleListFilter):
    title = gettext_lazy("atención")
    parameter_name = AFFECTED_PARAMETER

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(AFFECTED, gettext_lazy("Citas que no se podrán atender"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Booking]) -> QuerySet[Booking]:
        if self.value() != AFFECTED:
            return queryset
        found = queries.affected_bookings(_centers_of(request.user))
        # Each booking's reason, for the list's column (few distinct texts).
        by_detail: dict[str, list[int]] = defaultdict(list)
        for item in found:
            by_detail[item.detail].append(item.booking.pk)
        detail = Case(
            *[When(pk__in=pks, then=Value(text)) for text, pks in by_detail.items()],
            default=Value(""),
            output_field=CharField(),
        )
        return queryset.filter(pk__in=[item.booking.pk for item in found]).annotate(
            unservable_detail=detail
        )


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    view_roles = COORDINATORS
    list_display = ["code", "start", "procedure", "attention_language", "status"]
    list_filter = [AffectedFilter, "status", "center"]
    list_select_related = ["center", "service", "slot"]
    search_fields = ["code"]
    actions = ["cancel_by_center"]
    # No document, contact, client address nor hold token: staff do not need
    # them here (the notices reach the citizen).
    fields = [
        "code",
        "status",
        "center",
        "service",
        "slot",
        "channel",
        "language",
        "attention_language",
        "operator",
        "sequence",
        "created_at",
        "confirmed_at",
        "cancelled_at",
        "cancelled_by_center",
        "checked_in_at",
        "no_show_at",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Booking]:
        if role(request) not in COORDINATORS:
            return Booking.objects.none()
        return (
            super()
            .get_queryset(request)
            .filter(center__in=access.centers_editable_by(request.user))
        )

    def _listing_affected(self, request: HttpRequest) -> bool:
        return request.GET.get(AFFECTED_PARAMETER) == AFFECTED

    def get_list_display(self, request: HttpRequest) -> Any:
        # A coordinator sees one center's: no column for it.
        columns = list(self.list_display)
        if role(request) == access.NATIONAL:
            columns.insert(1, "center")
        if self._listing_affected(request):
            # All confirmed: the reason instead of the status.
            columns[columns.index("status")] = "reason"
        return columns

    def get_ordering(self, request: HttpRequest) -> Any:
        # The soonest first: those to tell first.
        return ["slot__start", "pk"] if self._listing_affected(request) else ["-created_at"]

    def get_list_filter(self, request: HttpRequest) -> Any:
        if role(request) == access.NATIONAL:
            return self.list_filter
        return [f for f in self.list_filter if f != "center"]

    @admin.display(description=gettext_lazy("Fecha y hora"), ordering="slot__start")
    def start(self, obj: Booking) -> str:
        return f"{to_lima(obj.slot.start):%d/%m/%Y %H:%M}"

    @admin.display(description=gettext_lazy("Trámite"), ordering="service__plain_name")
    def procedure(self, obj: Booking) -> str:
        return obj.service.plain_name

    @admin.display(description=gettext_lazy("Motivo"))
    def reason(self, obj: Booking) -> str:
        """Why check-in would refuse it, in words for staff (the code's label,
        `Unservable`, is the filter's and the API's)."""
        return getattr(obj, "unservable_detail", "")

    def has_cancel_by_center_permission(self, request: HttpRequest) -> bool:
        return role(request) in COORDINATORS

    @admin.action(
        description=gettext_lazy("Anular y avisar al ciudadano"),
        permissions=["cancel_by_center"],
    )
    def cancel_by_center(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        """Each booking by itself (`actions.cancel_by_center`): one refused (a
        citizen cancelled it meanwhile, say) leaves the others cancelled."""
        done, refused = 0, []
        for code in queryset.order_by("slot__start", "pk").values_list("code", flat=True):
            try:
                actions.cancel_by_center(code, by=request.user)
            except AppointmentError as error:
                refused.append(f"{code}: {error.message}")
            else:
                done += 1
        if done:
            messages.success(
                request,
                ngettext(
                    "Se anuló %(count)s cita y se avisó al ciudadano.",
                    "Se anularon %(count)s citas y se avisó a cada ciudadano.",
                    done,
                )
                % {"count": done},
            )
        for line in refused:
            messages.error(request, _("No se anuló %(refusal)s") % {"refusal": line})
