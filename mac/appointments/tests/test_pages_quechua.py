"""Every appointment page renders in Quechua (the portal's language switch)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mac.appointments.tests import pages
from mac.appointments.tests.pages import FIRST_FREE, Citas, book_via_pages, slot_at

morning = pages.morning
citas = pages.citas


@pytest.fixture
def quechua(client: Client) -> Client:
    client.post(reverse("set_language"), {"language": "qu", "next": "/citas/"})
    return client


class TestPagesInQuechua:
    def test_it_renders_each_booking_page_in_quechua(self, quechua: Client, citas: Citas) -> None:
        service = citas.service.pk
        urls = [
            reverse("appointments:start"),
            f"{reverse('appointments:start')}?servicio={service}",
            pages.day_url(citas),
            f"{reverse('appointments:waitlist')}?servicio={service}&centro=lima-norte&dia=2026-12-02",
            reverse("appointments:manage"),
        ]

        for url in urls:
            response = quechua.get(url)
            assert response.status_code == 200, url
            assert '<html lang="qu">' in response.content.decode(), url

    def test_it_books_and_manages_in_quechua_with_notices_in_the_chosen_language(
        self, quechua: Client, citas: Citas
    ) -> None:
        booking = book_via_pages(quechua, citas, slot_at(citas, FIRST_FREE))

        pages_after = [
            quechua.get(reverse("appointments:confirmed")),
            quechua.get(reverse("appointments:manage_booking")),
            quechua.get(reverse("appointments:cancel")),
        ]

        for response in pages_after:
            assert response.status_code == 200
            assert '<html lang="qu">' in response.content.decode()
            assert booking.code in response.content.decode()
        assert booking.language == "es"  # the form's choice, not the page's
