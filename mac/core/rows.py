"""Model rows in plain SQL, for the hot paths where the ORM's query building
and result handling cost more than the queries (the queue engine's actions).

- `insert` and `update` give a statement (SQL and parameters) for a model
  instance; an action sends its last writes (history and audit rows, changes
  to rows it holds locked) with its event: `mac.core.events.publish_on_commit(
  ..., along=[...])`, on PostgreSQL one statement, so one round trip.
- `create` inserts an instance and sets its primary key (`create_new`: unless
  it would repeat a unique value).
- `columns` and `read`: select a model's columns and make an instance of a
  row, with the database's converters, as the ORM does; `read_joined`, the
  instances of a row that joins several models (`columns(..., qualified=True)`).
- `lock_or_create`: a counter-like row locked for update, created first if
  missing (ticket numbers, complaint codes).

Values go through each field's `pre_save` and `get_db_prep_save`, as in
`Model.save`. Plain values only: no expressions, no database defaults, no
signals (the project sends none).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction

Statement = tuple[str, list[Any]]
M = TypeVar("M", bound=models.Model)


def insert(obj: models.Model, *, using: str = DEFAULT_DB_ALIAS) -> Statement:
    """INSERT of `obj` (its primary key too when set; no RETURNING)."""
    connection = connections[using]
    meta = obj._meta
    quote = connection.ops.quote_name
    fields = [
        f
        for f in meta.local_concrete_fields
        if not f.generated and not (f is meta.auto_field and obj.pk is None)
    ]
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    columns = ", ".join(quote(_column(f)) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})", params


def update(obj: models.Model, fields: Sequence[str], *, using: str = DEFAULT_DB_ALIAS) -> Statement:
    """UPDATE of these fields (names, as for `save(update_fields=...)`) of `obj`'s row."""
    connection = connections[using]
    meta = obj._meta
    quote = connection.ops.quote_name
    chosen = [meta.get_field(name) for name in fields]
    assert all(isinstance(f, models.Field) and f.concrete for f in chosen), fields
    concrete = [f for f in chosen if isinstance(f, models.Field)]
    params = [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in concrete]
    params.append(meta.pk.get_db_prep_value(obj.pk, connection))  # type: ignore[union-attr]
    assignments = ", ".join(f"{quote(_column(f))} = %s" for f in concrete)
    return f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {pk_column(obj)} = %s", params


def create(obj: M, *, using: str = DEFAULT_DB_ALIAS) -> M:
    """Insert `obj` and set its primary key (INSERT ... RETURNING), as
    `Model.objects.create` does."""
    created = _insert_returning(obj, "", using)
    assert created is not None
    return created


def create_new(obj: M, *, using: str = DEFAULT_DB_ALIAS) -> M | None:
    """`create`, or None when a row already holds one of `obj`'s unique
    values (ON CONFLICT DO NOTHING): nothing is written and the transaction
    goes on, without the savepoint that catching the IntegrityError needs."""
    return _insert_returning(obj, " ON CONFLICT DO NOTHING", using)


def _insert_returning(obj: M, clause: str, using: str) -> M | None:
    sql, params = insert(obj, using=using)
    with connections[using].cursor() as cursor:
        cursor.execute(f"{sql}{clause} RETURNING {pk_column(obj)}", params)
        row = cursor.fetchone()
    if row is None:
        return None
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = using
    return obj


def pk_column(model: type[models.Model] | models.Model) -> str:
    """The primary key's column, quoted."""
    return connections[DEFAULT_DB_ALIAS].ops.quote_name(_column(model._meta.pk))  # type: ignore[arg-type]


def columns(model: type[models.Model], *, qualified: bool = False) -> str:
    """The model's columns, in the order `read` expects (for SELECT or
    RETURNING); `qualified`, each with its table's name (for a join)."""
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    table = f"{quote(model._meta.db_table)}." if qualified else ""
    return ", ".join(table + quote(_column(f)) for f in model._meta.concrete_fields)


# (model, database vendor): the positions of the columns that need converting
# (on SQLite: times, booleans; everywhere: JSON), with their expressions.
_converted: dict[tuple[type[models.Model], str], list[tuple[int, Any]]] = {}


def read(model: type[M], row: Sequence[Any], *, using: str = DEFAULT_DB_ALIAS) -> M:
    """The instance of a row of `columns(model)`."""
    connection = connections[using]
    fields = model._meta.concrete_fields
    key = (model, connection.vendor)
    needing = _converted.get(key)
    if needing is None:
        needing = []
        for i, field in enumerate(fields):
            col = field.get_col(model._meta.db_table)
            if connection.ops.get_db_converters(col) or col.get_db_converters(connection):
                needing.append((i, col))
        _converted[key] = needing
    values = list(row)
    for i, col in needing:
        for convert in connection.ops.get_db_converters(col) + col.get_db_converters(connection):
            values[i] = convert(values[i], col, connection)
    return model.from_db(using, [f.attname for f in fields], values)


def read_joined(
    models_: Sequence[type[models.Model]], row: Sequence[Any], *, using: str = DEFAULT_DB_ALIAS
) -> list[Any]:
    """The instances of a row of `columns(model, qualified=True)` of each of
    `models_` in turn; None for a model whose primary key is NULL (the
    missing side of an outer join)."""
    found: list[Any] = []
    start = 0
    for model in models_:
        fields = model._meta.concrete_fields
        part = row[start : start + len(fields)]
        start += len(fields)
        pk_at = fields.index(model._meta.pk)  # type: ignore[arg-type]
        found.append(None if part[pk_at] is None else read(model, part, using=using))
    return found


def _column(field: models.Field[Any, Any]) -> str:
    assert field.column is not None, field  # concrete fields have a column
    return field.column


def lock_or_create(model: type[M], **keys: Any) -> M:
    """The row with these keys, locked; created first if missing (safe when two
    transactions race to create it: the loser waits, then locks the winner's).
    Needs a unique constraint on the keys."""
    manager = model._default_manager
    row = manager.select_for_update().filter(**keys).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            manager.create(**keys)
    except IntegrityError:
        pass  # created meanwhile by the other transaction: lock that one
    return manager.select_for_update().get(**keys)
