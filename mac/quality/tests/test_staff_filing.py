"""A staff member fills the sheet with a citizen at a center or on the phone:
the claim records who assisted and where; roles that do not serve citizens
cannot."""

from __future__ import annotations

import pytest

from mac.accounts.models import Role
from mac.core.testing import make_user
from mac.quality.models import Complaint, PersonalDataAccess

from .pages import sheet_post

pytestmark = pytest.mark.django_db
URL = "/reclamaciones/personal/nuevo/"


class TestStaffFiling:
    def test_an_advisor_files_for_their_center(self, client, world, clock):
        p = world.personas
        client.force_login(p.bob)
        data = sheet_post(p, entity=str(p.sunat.pk), channel=None, center=None)

        page = client.get(URL).content.decode()
        response = client.post(URL, data)

        assert "Lugar de la atención: Centro MAC Lima Norte." in page
        assert response["Location"] == "/reclamaciones/registrado/"
        complaint = Complaint.objects.get()
        assert (complaint.code, complaint.filed_by, complaint.channel, complaint.center) == (
            "SUNAT-2026-000001",
            p.bob,
            "center",
            p.lima_norte,
        )
        assert complaint.client_address is None
        assert complaint.events.get().by == p.bob

    def test_an_alo_mac_operator_files_for_the_phone_channel(self, client, world):
        operator = make_user("ana-op", Role.CALL_CENTER)
        client.force_login(operator)

        client.post(URL, sheet_post(world.personas, channel="center"))

        complaint = Complaint.objects.get()
        assert (complaint.channel, complaint.center, complaint.filed_by) == (
            "phone",
            None,
            operator,
        )

    def test_the_staff_who_filed_prints_the_constancia(self, client, world):
        client.force_login(world.personas.bob)
        client.post(URL, sheet_post(world.personas))

        response = client.get("/reclamaciones/constancia/")
        client.get("/reclamaciones/constancia/")

        assert response.content.startswith(b"%PDF-")
        # The constancia carries the citizen's personal data: each download
        # by staff is logged, as in the staff pages.
        code = Complaint.objects.get().code
        assert list(PersonalDataAccess.objects.values_list("username", "purpose", "label")) == [
            ("bob", "constancia", code),
            ("bob", "constancia", code),
        ]

    def test_the_citizens_own_download_is_not_logged(self, client, world):
        client.post("/reclamaciones/hoja/", sheet_post(world.personas))

        response = client.get("/reclamaciones/constancia/")

        assert response.content.startswith(b"%PDF-")
        assert PersonalDataAccess.objects.count() == 0

    @pytest.mark.parametrize("who", ["carol", "dave"])
    def test_other_roles_cannot(self, client, world, who):
        client.force_login(getattr(world.personas, who))

        assert client.get(URL).status_code == 403
        assert client.post(URL, sheet_post(world.personas)).status_code == 403
        assert Complaint.objects.count() == 0
