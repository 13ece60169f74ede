"""Recording into the audit trail: ``record(actor=, action=, obj=, before=, after=)``.

Services call it inside their own transaction, so the event commits or rolls back with the
write it describes. ``values`` and ``changes`` turn model fields into what ``before`` and
``after`` hold: JSON-friendly values (related objects as their text, lists sorted), never a
password.
The actions themselves are declared per app (see core.actions).
"""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from .actions import is_registered
from .models import AuditEvent

SECRET_FIELDS = frozenset({"password"})
REPR_LENGTH = AuditEvent._meta.get_field("object_repr").max_length


def json_value(value):
    """A value as the trail stores it: related objects as text, collections as sorted lists."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        return sorted((json_value(v) for v in value), key=str)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime | date | Decimal | str | int | float | bool) or value is None:
        return value
    return str(value)


def values(instance: models.Model, fields: Iterable[str]) -> dict:
    """The named fields of an instance (foreign keys as the related object's text)."""
    result = {}
    for name in fields:
        if name in SECRET_FIELDS:
            continue
        field = instance._meta.get_field(name)
        if field.many_to_many:
            value = list(getattr(instance, name).all()) if instance.pk else []
        else:
            value = getattr(instance, name)
        result[name] = json_value(value)
    return result


def concrete_values(instance: models.Model) -> dict:
    """Every stored field of an instance (what a deleted object looked like)."""
    return values(
        instance,
        [f.name for f in instance._meta.concrete_fields if not f.primary_key and f.editable],
    )


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    keys += [k for k in before if k not in after]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record(
    *,
    actor,
    action,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    object_repr: str | None = None,
) -> AuditEvent:
    """Writes one event in the caller's transaction and returns it.

    `actor`: the user who acted, or None (or an anonymous user) for the system. `action`: a
    member of a TextChoices registered with core.actions.register. `obj`: the object acted on;
    record a deletion before deleting (the object's id is gone afterwards). `before`/`after`:
    the values that matter (see `values`, `changes`); `reason`: free text, e.g. why a project
    manager confirmed a declaration.
    """
    event = unsaved_event(
        actor=actor,
        action=action,
        obj=obj,
        before=before,
        after=after,
        reason=reason,
        object_repr=object_repr,
    )
    event.save()
    return event


def unsaved_event(
    *,
    actor,
    action,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    object_repr: str | None = None,
) -> AuditEvent:
    """The event `record` would write, not yet saved: for a service that writes it together
    with other rows (core.inserts.insert_together) in the same transaction."""
    if not is_registered(action):
        raise ValueError(f"Unknown audit action {action!r}: declare it in the app's audit.py.")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record runs inside the transaction of the write it records.")
    event = AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=str(action),
        before={k: json_value(v) for k, v in (before or {}).items()},
        after={k: json_value(v) for k, v in (after or {}).items()},
        reason=reason or "",
    )
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(obj)
        event.object_id = "" if obj.pk is None else str(obj.pk)
        event.object_repr = str(obj) if object_repr is None else object_repr
    elif object_repr:
        event.object_repr = object_repr
    event.object_repr = event.object_repr[:REPR_LENGTH]
    return event


def act_as(obj: models.Model, actor) -> None:
    """Names `actor` on the simple-history row that the next save of `obj` writes; use
    save_and_record unless another function does the save."""
    if getattr(actor, "is_authenticated", False):
        obj._history_user = actor


def save_and_record(
    obj: models.Model,
    *,
    actor,
    action,
    update_fields: Iterable[str] | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Saves `obj` on behalf of `actor` and records `action` on it in the trail.

    The simple-history row of the save (the field diff, where a model keeps one) names the same
    person: services also run outside a request (tasks, token links, tests), where the history
    middleware knows no user. `after` defaults to the object's state where it has one.
    """
    act_as(obj, actor)
    if update_fields is None:
        obj.save()
    else:
        obj.save(update_fields=list(update_fields))
    if after is None and hasattr(obj, "state"):
        after = {"state": obj.state}
    return record(actor=actor, action=action, obj=obj, before=before, after=after, reason=reason)
