"""Model rows in plain SQL (mac.core.rows): what the ORM would write and read,
and the rows an action sends with its event."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from mac.accounts.models import User
from mac.core import rows
from mac.core.events import publish_on_commit
from mac.core.models import AuditLog, Event


def execute(statement: rows.Statement) -> None:
    with connection.cursor() as cursor:
        cursor.execute(*statement)


@pytest.mark.django_db
class TestRows:
    def test_it_inserts_what_save_would(self, personas):
        row = AuditLog(actor=personas.alice, action="core.rows", object_id="1", data={"n": [1]})

        execute(rows.insert(row))

        saved = AuditLog.objects.get(action="core.rows")
        assert (saved.actor, saved.object_id, saved.data) == (personas.alice, "1", {"n": [1]})
        assert saved.at == row.at  # auto_now_add, filled in as save would
        assert row.pk is None

    def test_it_creates_then_updates_a_row(self):
        row = rows.create(AuditLog(action="core.rows", data={}))
        assert row.pk is not None and not row._state.adding

        row.object_id = "7"
        row.data = {"k": "v"}
        execute(rows.update(row, ["object_id", "data"]))

        saved = AuditLog.objects.get(pk=row.pk)
        assert (saved.object_id, saved.data) == ("7", {"k": "v"})

    def test_it_reads_a_row_as_the_orm_does(self, personas):
        table = connection.ops.quote_name(User._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {rows.columns(User)} FROM {table} WHERE id = %s", [personas.alice.pk]
            )
            got = rows.read(User, cursor.fetchone())

        expected = User.objects.get(pk=personas.alice.pk)
        for field in User._meta.concrete_fields:  # booleans, aware datetimes...
            assert getattr(got, field.attname) == getattr(expected, field.attname), field.name

    def test_it_creates_nothing_over_a_unique_value_and_the_transaction_goes_on(self, personas):
        # given: a user whose username another row would repeat
        twin = User(username=personas.alice.username, email="otra@example.pe")

        # when: inside one transaction, the repeat and then a new row
        with transaction.atomic():
            refused = rows.create_new(twin)
            created = rows.create_new(AuditLog(action="core.rows", data={}))

        # then: the repeat wrote nothing, the next row was written
        assert refused is None
        assert twin.pk is None and twin._state.adding
        assert created is not None and created.pk is not None
        assert User.objects.filter(username=personas.alice.username).count() == 1
        assert AuditLog.objects.filter(pk=created.pk, action="core.rows").exists()

    def test_it_reads_a_joined_row_with_none_for_a_missing_outer_side(self, personas):
        users, audits = (connection.ops.quote_name(m._meta.db_table) for m in (User, AuditLog))
        models = (User, AuditLog)
        sql = (
            f"SELECT {rows.columns(User, qualified=True)}, "
            f"{rows.columns(AuditLog, qualified=True)} FROM {users} "
            f"LEFT OUTER JOIN {audits} ON {audits}.actor_id = {users}.id "
            f"WHERE {users}.id = %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [personas.alice.pk])
            alone = rows.read_joined(models, cursor.fetchone())
            entry = rows.create(AuditLog(actor=personas.alice, action="core.rows", data={"n": 1}))
            cursor.execute(sql, [personas.alice.pk])
            joined = rows.read_joined(models, cursor.fetchone())

        assert alone == [personas.alice, None]
        assert joined == [personas.alice, entry]
        assert (joined[1].action, joined[1].data, joined[1].at) == ("core.rows", {"n": 1}, entry.at)


@pytest.mark.django_db
class TestPublishAlong:
    def test_it_writes_the_rows_with_the_event(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            audit = rows.insert(AuditLog(action="core.along", data={}))
            publish_on_commit("test.along", {"id": 1}, along=[audit])

        assert AuditLog.objects.filter(action="core.along").count() == 1
        assert list(Event.objects.filter(topic="test.along").values_list("payload", flat=True)) == [
            {"id": 1}
        ]

    def test_it_writes_nothing_when_the_transaction_rolls_back(self):
        with pytest.raises(RuntimeError), transaction.atomic():
            audit = rows.insert(AuditLog(action="core.along", data={}))
            publish_on_commit("test.along", {"id": 1}, along=[audit])
            raise RuntimeError("rollback")

        assert not AuditLog.objects.filter(action="core.along").exists()
        assert not Event.objects.filter(topic="test.along").exists()
