"""New rows written together: several INSERTs in one round trip to the database.

What a transaction does while it holds a busy lock (a forum's seats) keeps everyone else
waiting, and each statement there is a round trip: a registration, its history row, its audit
event and the promise of its mail are four. `insert_together` sends them as one.

Like bulk_create it fills defaults and auto_now fields; unlike it, it sends the save signals
and reads nothing back: an object whose id others need takes one from `reserve_id` first.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record, pre_create_historical_record
from simple_history.utils import get_change_reason_from_object


def reserve_id(model: type[models.Model]) -> int:
    """The id the next row of `model` gets, taken now (PostgreSQL: the sequence; SQLite, where
    a write transaction holds the whole database: its AUTOINCREMENT counter)."""
    table, column = model._meta.db_table, model._meta.pk.column
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, column])
            return cursor.fetchone()[0]
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_id on SQLite runs inside the transaction that inserts.")
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        if row is None:
            cursor.execute(f'SELECT MAX("{column}") FROM "{table}"')  # noqa: S608 - our names
            row = cursor.fetchone()
        return (row[0] or 0) + 1


def _statements(obj: models.Model, connection) -> list[tuple[str, list]]:
    meta = obj._meta
    fields = [
        f
        for f in meta.local_concrete_fields
        if not f.generated and not (f.primary_key and obj.pk is None)
    ]
    query = InsertQuery(type(obj))
    query.insert_values(fields, [obj])
    return query.get_compiler(connection=connection).as_sql()


def insert_together(*objs: models.Model) -> None:
    """INSERTs every object, in order, in one round trip (PostgreSQL; elsewhere one by one).

    Call inside the transaction the rows belong to. Ids are not read back: set the id of an
    object others refer to beforehand (`reserve_id`). The pre_save and post_save signals go
    out as a save would send them (created=True), so receivers (caches dropped on a change)
    still hear of the rows.
    """
    connection = transaction.get_connection()  # the wrapper itself: the proxy costs per use
    for obj in objs:
        _pre_save(obj, connection)
    _insert(objs, connection)


def _pre_save(obj: models.Model, connection) -> None:
    pre_save.send(
        sender=type(obj), instance=obj, raw=False, using=connection.alias, update_fields=None
    )


def _insert(objs, connection, first=None) -> None:
    """INSERTs `objs`; `first`: the statements of the first object, compiled already."""
    alias = connection.alias
    statements = list(first) if first is not None else _statements(objs[0], connection)
    statements += [statement for obj in objs[1:] for statement in _statements(obj, connection)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg2 sends several statements of one execute as a single query; the values
            # are quoted by the driver (mogrify), exactly as with separate executes.
            cursor.execute(
                ";\n".join(cursor.mogrify(sql, params).decode() for sql, params in statements)
            )
        else:
            for sql, params in statements:
                cursor.execute(sql, params)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
        post_save.send(
            sender=type(obj),
            instance=obj,
            created=True,
            update_fields=None,
            raw=False,
            using=alias,
        )


def insert_with_history(instance: models.Model, *others: models.Model) -> None:
    """insert_together of a new object of a model with simple-history, its history row (the
    one its save would write: same user and date rules) and `others`, in that order."""
    if hasattr(instance, "skip_history_when_saving") or not getattr(
        settings, "SIMPLE_HISTORY_ENABLED", True
    ):
        insert_together(instance, *others)  # no history wanted, as simple-history would see it
        return
    connection = transaction.get_connection()
    _pre_save(instance, connection)
    # Compiling the INSERT fills auto_now(_add) fields, as a save does before simple-history
    # copies the instance.
    first = _statements(instance, connection)
    history = _history_row(instance)
    for obj in (history, *others):
        _pre_save(obj, connection)
    # The row is written here, with the others: simple-history's own receiver stands aside.
    instance.skip_history_when_saving = True
    try:
        _insert([instance, history, *others], connection, first)
    finally:
        del instance.skip_history_when_saving
    post_create_historical_record.send(
        sender=type(history),
        instance=instance,
        history_instance=history,
        history_date=history.history_date,
        history_user=history.history_user,
        history_change_reason=history.history_change_reason,
        using=None,
    )


_HISTORY_MODELS = {}


def _history_model(model: type[models.Model]):
    # simple-history builds a new manager class at each access of `Model.history`: once here.
    if model not in _HISTORY_MODELS:
        _HISTORY_MODELS[model] = model.history.model
    return _HISTORY_MODELS[model]


def _history_row(instance: models.Model, *, history_type: str = "+"):
    history_model = _history_model(type(instance))
    user = getattr(instance, "_history_user", None)
    if user is None:
        request = getattr(HistoricalRecords.context, "request", None)
        request_user = getattr(request, "user", None)
        if getattr(request_user, "is_authenticated", False):
            user = request_user
    stored = {f.attname for f in history_model._meta.concrete_fields}
    attrs = {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname in stored
    }
    history_date = getattr(instance, "_history_date", None) or timezone.now()
    reason = get_change_reason_from_object(instance)
    row = history_model(
        history_date=history_date,
        history_type=history_type,
        history_user=user,
        history_change_reason=reason,
        **attrs,
    )
    pre_create_historical_record.send(
        sender=history_model,
        instance=instance,
        history_date=history_date,
        history_user=user,
        history_change_reason=reason,
        history_instance=row,
        using=None,
    )
    return row
