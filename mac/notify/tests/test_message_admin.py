"""The delivery log is read-only in the back office, filtered by status, kind
and channel, and only national staff see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mac.notify.actions import Attachment, send
from mac.notify.models import Message


@pytest.mark.django_db
class TestMessageAdmin:
    def test_it_filters_by_status_kind_and_channel(self, client, personas, confirmed):
        # given
        email, text = send(
            "appointment_confirmed", email="ana@example.pe", phone="+51987654321", context=confirmed
        )
        Message.objects.filter(pk=text.pk).update(status=Message.Status.FAILED)
        client.force_login(personas.alice)
        url = reverse("admin:notify_message_changelist")

        # when
        failed = client.get(url, {"status": "failed"})
        emails = client.get(url, {"channel": "email", "kind": "appointment_confirmed"})

        # then
        assert failed.status_code == emails.status_code == 200
        assert [m.pk for m in failed.context["cl"].result_list] == [text.pk]
        assert [m.pk for m in emails.context["cl"].result_list] == [email.pk]

    def test_it_shows_a_message_and_its_attachment_read_only(self, client, personas, confirmed):
        # given
        (email,) = send(
            "appointment_confirmed",
            email="ana@example.pe",
            context=confirmed,
            attachments=[Attachment("cita.ics", b"BEGIN:VCALENDAR", "text/calendar")],
        )
        client.force_login(personas.alice)

        # when
        response = client.get(reverse("admin:notify_message_change", args=[email.pk]))

        # then
        assert response.status_code == 200
        assert response.context["has_change_permission"] is False
        assert response.context["has_delete_permission"] is False
        assert "cita.ics" in response.content.decode()

    def test_it_refuses_to_change_a_message(self, client, personas, confirmed):
        # given
        (email,) = send("appointment_confirmed", email="ana@example.pe", context=confirmed)
        client.force_login(personas.alice)

        # when
        response = client.post(
            reverse("admin:notify_message_change", args=[email.pk]), {"status": "sent"}
        )

        # then
        assert response.status_code == 403
        email.refresh_from_db()
        assert email.status == Message.Status.QUEUED

    @pytest.mark.parametrize("who", ["carol", "dave"])
    def test_it_is_hidden_from_other_staff(self, client, personas, who):
        client.force_login(getattr(personas, who))

        response = client.get(reverse("admin:notify_message_changelist"))

        assert response.status_code == 403
