"""A complaint's messages in the delivery log carry a claim's personal data:
the list masks their recipient, and opening one writes a PersonalDataAccess
row for the complaint (ADR 0008), as the complaint's own pages do; the
search finds them by their ref, never by their recipient, and the list is
never sorted by recipient. Other messages are shown and found as they are,
and their reads are not logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.templatetags.admin_list import result_headers
from django.urls import reverse

from mac.notify.actions import send
from mac.notify.models import Message
from mac.notify.testing import run_tasks
from mac.quality.models import PersonalDataAccess
from mac.quality.testing import file, make_officers


@pytest.fixture
def complaint_message(personas, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.QUALITY = {"POW_REQUIRED": False}
    settings.MEDIA_ROOT = str(tmp_path)
    make_officers(personas)
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file(personas)
    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()  # the constancia is logged (complaint_filed)
    message = Message.objects.get(kind="complaint_filed")
    assert (message.recipient, message.ref) == (
        "ana@example.pe",
        f"quality.complaint:{complaint.pk}",
    )
    return complaint, message


@pytest.mark.django_db
class TestMessageAdminComplaints:
    def test_it_masks_a_complaint_messages_recipient_in_the_list(
        self, client, personas, complaint_message, confirmed
    ):
        # given
        send("appointment_confirmed", email="rosa@example.pe", context=confirmed)
        client.force_login(personas.alice)

        # when
        response = client.get(reverse("admin:notify_message_changelist"))

        # then
        page = response.content.decode()
        assert response.status_code == 200
        assert "a•••@example.pe" in page
        assert "ana@example.pe" not in page
        assert "rosa@example.pe" in page
        assert PersonalDataAccess.objects.count() == 0

    def test_it_logs_the_read_when_a_complaint_message_is_opened(
        self, client, personas, complaint_message
    ):
        # given
        complaint, message = complaint_message
        client.force_login(personas.alice)

        # when
        response = client.get(reverse("admin:notify_message_change", args=[message.pk]))

        # then
        assert response.status_code == 200
        assert "ana@example.pe" in response.content.decode()
        access = PersonalDataAccess.objects.get()
        assert (
            access.user,
            access.username,
            access.purpose,
            access.object_type,
            access.object_id,
            access.label,
        ) == (
            personas.alice,
            personas.alice.username,
            "detail",
            "quality.complaint",
            str(complaint.pk),
            complaint.code,
        )

    def test_it_logs_nothing_for_other_messages(self, client, personas, confirmed):
        # given
        (email,) = send("appointment_confirmed", email="rosa@example.pe", context=confirmed)
        client.force_login(personas.alice)

        # when
        response = client.get(reverse("admin:notify_message_change", args=[email.pk]))

        # then
        assert response.status_code == 200
        assert PersonalDataAccess.objects.count() == 0

    def test_it_logs_nothing_when_the_reader_is_refused(self, client, personas, complaint_message):
        # given
        _, message = complaint_message
        client.force_login(personas.carol)

        # when
        response = client.get(reverse("admin:notify_message_change", args=[message.pk]))

        # then
        assert response.status_code == 403
        assert PersonalDataAccess.objects.count() == 0

    def test_the_search_finds_a_complaint_message_by_its_ref_not_by_its_recipient(
        self, client, personas, complaint_message, confirmed
    ):
        # given: Ana's complaint message, and an appointment message to Ana
        complaint, message = complaint_message
        (appointment,) = send("appointment_confirmed", email="ana@example.pe", context=confirmed)
        client.force_login(personas.alice)
        url = reverse("admin:notify_message_changelist")

        # when
        found = {
            term: [m.pk for m in client.get(url, {"q": term}).context["cl"].result_list]
            for term in [
                "ana@example.pe",
                "example.pe",
                '"ana@example.pe" quality.complaint',
                f"quality.complaint:{complaint.pk}",
                "quality.complaint",
            ]
        }

        # then
        assert found == {
            "ana@example.pe": [appointment.pk],
            "example.pe": [appointment.pk],
            '"ana@example.pe" quality.complaint': [],
            f"quality.complaint:{complaint.pk}": [message.pk],
            "quality.complaint": [message.pk],
        }
        assert PersonalDataAccess.objects.count() == 0


def at(message: Message, when: str) -> Message:
    Message.objects.filter(pk=message.pk).update(created_at=dt.datetime.fromisoformat(when))
    message.refresh_from_db()
    return message


@pytest.mark.django_db
class TestMessageAdminOrder:
    """Sorted by recipient, a complaint's masked row would sit between the
    rows of the neighbouring addresses, shown in full: that tells who
    claimed. The list sorts by the other columns only."""

    @pytest.fixture
    def three(self, personas, complaint_message, confirmed):
        """Rosa's message at 9:00, Ana's complaint at 10:00, Beto's at 11:00:
        by time, Beto, Ana, Rosa; by recipient, Ana, Beto, Rosa."""
        _, complaint = complaint_message
        (rosa,) = send("appointment_confirmed", email="rosa@example.pe", context=confirmed)
        (beto,) = send("appointment_confirmed", email="beto@example.pe", context=confirmed)
        return (
            at(rosa, "2026-12-01T09:00:00-05:00"),
            at(complaint, "2026-12-01T10:00:00-05:00"),
            at(beto, "2026-12-01T11:00:00-05:00"),
        )

    def test_it_does_not_sort_by_recipient(self, client, personas, three):
        # given
        rosa, complaint, beto = three
        client.force_login(personas.alice)
        url = reverse("admin:notify_message_changelist")
        column = client.get(url).context["cl"].list_display.index("to")

        # when
        pages = [client.get(url, {"o": f"{sign}{column}"}) for sign in ("", "-")]

        # then: newest first, as without ?o=, and "destinatario" is no sort link
        for page in pages:
            cl = page.context["cl"]
            headers = {h["text"]: h["sortable"] for h in result_headers(cl)}
            assert page.status_code == 200
            assert [m.pk for m in cl.result_list] == [beto.pk, complaint.pk, rosa.pk]
            assert headers["destinatario"] is False
            assert '<div class="text"><span>Destinatario</span></div>' in page.content.decode()
        assert PersonalDataAccess.objects.count() == 0

    def test_it_still_sorts_by_the_other_columns(self, client, personas, three):
        # given
        rosa, complaint, beto = three
        client.force_login(personas.alice)
        url = reverse("admin:notify_message_changelist")
        cl = client.get(url).context["cl"]
        kind, created = cl.list_display.index("kind"), cl.list_display.index("created_at")

        # when
        by_kind = client.get(url, {"o": f"{kind}.{created}"}).context["cl"]
        oldest_first = client.get(url, {"o": f"{created}"}).context["cl"]

        # then
        headers = {h["text"]: h["sortable"] for h in result_headers(by_kind)}
        assert [m.pk for m in by_kind.result_list] == [rosa.pk, beto.pk, complaint.pk]
        assert [m.pk for m in oldest_first.result_list] == [rosa.pk, complaint.pk, beto.pk]
        assert headers == {
            "creado": True,
            "tipo": True,
            "canal": True,
            "destinatario": False,
            "estado": True,
            "intentos": True,
            "enviado": True,
        }

    @pytest.mark.parametrize(
        "params",
        [
            {"recipient": "ana@example.pe"},
            {"recipient__startswith": "an"},
            {"recipient__icontains": "ana"},
            {"body__icontains": "Ana"},
            {"subject__icontains": "reclamo"},
            {"ref__startswith": "quality.complaint:"},
        ],
    )
    def test_it_refuses_to_filter_by_what_a_message_says(
        self, client, personas, complaint_message, params
    ):
        # given
        client.force_login(personas.alice)

        # when
        response = client.get(reverse("admin:notify_message_changelist"), params)

        # then: a 400, listing nothing, and no read is logged
        assert response.status_code == 400
        assert "a•••@example.pe" not in response.content.decode()
        assert PersonalDataAccess.objects.count() == 0

    def test_it_still_filters_by_the_side_filters_and_the_dates(self, client, personas, three):
        # given
        rosa, _, _ = three
        client.force_login(personas.alice)
        url = reverse("admin:notify_message_changelist")
        day = rosa.created_at

        # when
        by_kind = client.get(url, {"kind__exact": rosa.kind})
        by_day = client.get(
            url,
            {
                "created_at__year": day.year,
                "created_at__month": day.month,
                "created_at__day": day.day,
            },
        )

        # then
        assert by_kind.status_code == by_day.status_code == 200
        assert {m.kind for m in by_kind.context["cl"].result_list} == {rosa.kind}
        assert by_day.context["cl"].result_count == 3
