"""Who sees which claims (mac.quality.access.get_complaint_for): an entity's
supervisor and its officers see only that entity's; national supervisors
see all; everybody else has no access. A claim outside one's scope is "not
found", and none of its data shows anywhere."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mac.quality.access import complaints_visible_to, get_complaint_for
from mac.quality.models import PersonalDataAccess
from mac.quality.testing import file

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(world):
    p = world.personas
    reniec = file(p, full_name="Rosa Reniec Ruiz", facts="Hechos de RENIEC.")
    sunat = file(
        p,
        entity=p.sunat,
        center=p.arequipa,
        full_name="Saúl Sunat Salas",
        document_number="40506070",
        email="saul@example.pe",
        facts="Hechos secretos de SUNAT.",
        request="Pedido de SUNAT.",
    )
    return reniec, sunat


def sunat_traces(complaint) -> list[str]:
    return [
        complaint.code,
        "Saúl Sunat Salas",
        "40506070",
        "saul@example.pe",
        "Hechos secretos de SUNAT.",
        "Pedido de SUNAT.",
    ]


class TestAccess:
    def test_reniecs_supervisor_gets_404_on_a_sunat_claim_and_sees_none_of_it(
        self, client, world, claims
    ):
        reniec, sunat = claims
        carol = world.personas.carol
        client.force_login(carol)

        detail = client.get(f"/reclamaciones/personal/{sunat.pk}/")
        listing = client.get("/reclamaciones/personal/").content.decode()
        export = client.get("/reclamaciones/personal/exportar.csv").content.decode()

        assert detail.status_code == 404
        body = detail.content.decode()
        for trace in sunat_traces(sunat):
            assert trace not in body
            assert trace not in listing
            assert trace not in export
        assert f"/reclamaciones/personal/{sunat.pk}/" not in listing
        assert reniec.code in listing and reniec.code in export
        with pytest.raises(Http404):
            get_complaint_for(carol, sunat.pk)
        assert not PersonalDataAccess.objects.filter(object_id=str(sunat.pk)).exists()

    def test_reniecs_officers_see_only_reniec(self, world, claims):
        reniec, _sunat = claims

        assert list(complaints_visible_to(world.olga)) == [reniec]
        assert list(complaints_visible_to(world.omar)) == [reniec]
        assert get_complaint_for(world.olga, reniec.pk) == reniec

    def test_a_national_supervisor_sees_all(self, world, claims):
        assert set(complaints_visible_to(world.personas.alice)) == set(claims)

    @pytest.mark.parametrize("who", ["bob", "charlie", "dave"])
    def test_other_staff_have_no_access(self, client, world, claims, who):
        user = getattr(world.personas, who)
        reniec, sunat = claims
        client.force_login(user)

        with pytest.raises(PermissionDenied):
            get_complaint_for(user, reniec.pk)
        assert client.get("/reclamaciones/personal/").status_code == 403
        assert client.get(f"/reclamaciones/personal/{sunat.pk}/").status_code == 403
        assert client.get("/reclamaciones/personal/exportar.csv").status_code == 403
        assert PersonalDataAccess.objects.count() == 0

    def test_anonymous_visitors_go_to_the_login(self, client, world, claims):
        response = client.get(f"/reclamaciones/personal/{claims[0].pk}/")

        assert response.status_code == 302
        assert response["Location"].startswith("/personal/entrar/")

    def test_an_attachment_of_another_entity_is_not_found(self, client, world, claims):
        client.force_login(world.olga)
        _reniec, sunat = claims

        assert client.get(f"/reclamaciones/personal/{sunat.pk}/adjuntos/1/").status_code == 404
        assert client.get(f"/reclamaciones/personal/{sunat.pk}/constancia/").status_code == 404
