"""The delivery log in the back office: read-only, national staff only (it
holds citizens' email addresses and phone numbers).

A complaint's messages (ref "quality.complaint:<id>") carry a claim's personal
data (who claimed, the entity's answer), whose every read is logged (ADR 0008):
the list masks their recipient, and opening one writes a PersonalDataAccess
row for the complaint, as the complaint's own pages do. The search finds
them by their ref, never by their recipient: finding "ana@example.pe" among
them would tell who claimed, unlogged, as the complaints' own lists, which
search no personal data. For the same reason the list never sorts by
recipient."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

from mac.core.admin import ReadOnlyAdmin, ScopedInline
from mac.notify.models import Message, MessageAttachment

COMPLAINT_REF = "quality.complaint:"


class AttachmentInline(ScopedInline):
    model = MessageAttachment
    fields = ["filename", "mimetype", "size"]
    readonly_fields = ["filename", "mimetype", "size"]

    @admin.display(description=_("tamaño (bytes)"))
    def size(self, obj: MessageAttachment) -> int:
        return len(obj.content)


def masked(recipient: str) -> str:
    """ "a•••@example.pe", "+51•••••4321": enough to tell rows apart."""
    name, at, domain = recipient.rpartition("@")
    if at:
        return f"{name[:1]}•••@{domain}"
    return f"{recipient[:3]}•••••{recipient[-4:]}"


class MessageChangeList(ChangeList):
    def get_ordering(self, request: HttpRequest, queryset: QuerySet[Message]) -> list[Any]:
        ordering: list[Any] = super().get_ordering(request, queryset)
        if ordering == ["-pk"]:
            # ?o= named no column that sorts (only "destinatario", say), and
            # Django would then order by -pk alone: newest first, as always.
            return list(self.lookup_opts.ordering or ())
        return ordering


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "channel", "to", "status", "attempts", "sent_at"]
    # Never by recipient ("to" has no ordering either, which is what keeps
    # ?o= away from it): a complaint's masked row would sit among the rows of
    # its neighbouring addresses, shown in full, and tell who claimed.
    sortable_by = ["created_at", "kind", "channel", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "channel", "language"]
    search_fields = ["recipient", "ref"]
    date_hierarchy = "created_at"
    inlines = [AttachmentInline]

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return MessageChangeList

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        """Only the filters on the side and the dates. Django would otherwise
        take any of the model's own fields from the address
        (?recipient=ana@example.pe, ?body__icontains=Ana): a complaint's row
        would then answer who claimed, which the masked column and the search
        by ref keep from it. Anything else is a 400."""
        field = lookup.split(LOOKUP_SEP, 1)[0]
        return field in {*self.list_filter, self.date_hierarchy}

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Message], search_term: str
    ) -> tuple[QuerySet[Message], bool]:
        found, duplicates = super().get_search_results(request, queryset, search_term)
        words = _words(search_term)
        if not words:
            return found, duplicates
        in_ref = Q(*(Q(ref__icontains=word) for word in words))
        return found.filter(~Q(ref__startswith=COMPLAINT_REF) | in_ref), duplicates

    @admin.display(description=_("destinatario"))
    def to(self, obj: Message) -> str:
        return masked(obj.recipient) if obj.ref.startswith(COMPLAINT_REF) else obj.recipient

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = getattr(response, "context_data", None) or {}
        message = shown.get("original")
        if response.status_code == 200 and isinstance(message, Message):
            _log_complaint_read(request, message)
        return response


def _words(search_term: str) -> list[str]:
    """The words of a search as the admin splits them (a quoted phrase is one)."""
    return [
        unescape_string_literal(word) if word[:1] in "\"'" and word[-1:] == word[:1] else word
        for word in smart_split(search_term)
    ]


def _log_complaint_read(request: HttpRequest, message: Message) -> None:
    from mac.quality.actions import log_access
    from mac.quality.models import Complaint, PersonalDataAccess

    if not message.ref.startswith(COMPLAINT_REF):
        return
    complaint_id = message.ref.removeprefix(COMPLAINT_REF)
    complaint = (
        Complaint.objects.filter(pk=complaint_id).first() if complaint_id.isdigit() else None
    )
    if complaint is not None:
        log_access(request.user, PersonalDataAccess.Purpose.DETAIL, [complaint])
