"""The access helpers give each persona exactly their rows."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from mac.accounts.models import Role
from mac.core import access
from mac.core.testing import make_service, make_user


@pytest.fixture
def catalog(personas):
    return {
        "dni": make_service(personas.reniec, "Duplicado del DNI"),
        "ruc": make_service(personas.sunat, "Inscripción al RUC"),
    }


@pytest.mark.django_db
class TestAccessHelpers:
    def test_it_hides_reniec_services_from_charlie(self, personas, catalog):
        with pytest.raises(Http404):
            access.get_service_for(personas.charlie, catalog["dni"].pk)

        assert access.get_service_for(personas.charlie, catalog["ruc"].pk) == catalog["ruc"]

    def test_it_hides_the_lima_norte_center_from_charlie(self, personas):
        with pytest.raises(Http404):
            access.get_center_for(personas.charlie, "lima-norte")

        assert access.get_center_for(personas.charlie, "arequipa") == personas.arequipa

    def test_it_shows_bob_his_center_only(self, personas):
        assert list(access.centers_visible_to(personas.bob)) == [personas.lima_norte]

    def test_it_shows_every_center_to_national_and_entity_staff(self, personas):
        everything = {personas.lima_norte, personas.arequipa}

        assert set(access.centers_visible_to(personas.alice)) == everything
        assert set(access.centers_visible_to(personas.carol)) == everything
        assert set(access.centers_visible_to(personas.dave)) == everything

    def test_it_shows_nothing_to_anonymous_or_deactivated_users(self, personas, catalog):
        personas.bob.is_active = False

        for user in (AnonymousUser(), personas.bob):
            assert list(access.centers_visible_to(user)) == []
            assert list(access.services_visible_to(user)) == []
            assert list(access.services_editable_by(user)) == []

    @pytest.mark.parametrize(
        "who, editable",
        [
            ("alice", {"dni", "ruc"}),
            ("dave", {"dni"}),
            ("carol", set()),
            ("bob", set()),
            ("charlie", set()),
        ],
    )
    def test_it_lets_only_editors_edit_services(self, personas, catalog, who, editable):
        user = getattr(personas, who)

        got = set(access.services_editable_by(user))

        assert got == {catalog[name] for name in editable}

    @pytest.mark.parametrize(
        "who, visible",
        [
            ("alice", {"dni", "ruc"}),
            ("dave", {"dni"}),
            ("carol", {"dni"}),
            ("bob", {"dni"}),
            ("charlie", {"ruc"}),
        ],
    )
    def test_it_shows_services_by_entity(self, personas, catalog, who, visible):
        got = set(access.services_visible_to(getattr(personas, who)))

        assert got == {catalog[name] for name in visible}

    def test_it_refuses_to_let_carol_write_through_get_service_for(self, personas, catalog):
        assert access.get_service_for(personas.carol, catalog["dni"].pk) == catalog["dni"]
        with pytest.raises(Http404):
            access.get_service_for(personas.carol, catalog["dni"].pk, write=True)

    @pytest.mark.parametrize("pk", ["abc", None, 10**9])
    def test_it_answers_404_for_bad_or_unknown_ids(self, personas, pk):
        with pytest.raises(Http404):
            access.get_service_for(personas.alice, pk)

    def test_it_offers_an_editor_only_his_entity_for_new_services(self, personas):
        assert list(access.service_entities_for(personas.dave)) == [personas.reniec]
        assert set(access.service_entities_for(personas.alice)) == {
            personas.reniec,
            personas.sunat,
        }
        assert list(access.service_entities_for(personas.carol)) == []

    def test_it_lets_a_coordinator_edit_only_her_center(self, personas):
        cora = make_user("cora", Role.CENTER_COORDINATOR, center=personas.arequipa)

        assert list(access.centers_editable_by(cora)) == [personas.arequipa]
        assert list(access.centers_editable_by(personas.bob)) == []
        assert set(access.centers_editable_by(personas.alice)) == {
            personas.lima_norte,
            personas.arequipa,
        }

    def test_it_treats_a_superuser_as_national(self, personas, catalog):
        root = type(personas.alice).objects.create_superuser("root", password="x")

        assert access.role_of(root) == access.NATIONAL
        assert set(access.services_editable_by(root)) == set(catalog.values())
