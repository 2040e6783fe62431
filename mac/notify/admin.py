"""The delivery log in the back office: read-only, national staff only (it
holds citizens' email addresses and phone numbers)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mac.core.admin import ReadOnlyAdmin, ScopedInline
from mac.notify.models import Message, MessageAttachment


class AttachmentInline(ScopedInline):
    model = MessageAttachment
    fields = ["filename", "mimetype", "size"]
    readonly_fields = ["filename", "mimetype", "size"]

    @admin.display(description=_("tamaño (bytes)"))
    def size(self, obj: MessageAttachment) -> int:
        return len(obj.content)


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "channel", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "channel", "language"]
    search_fields = ["recipient", "ref"]
    date_hierarchy = "created_at"
    inlines = [AttachmentInline]
