"""Reads of the audit trail: the page's rows with readable field names and values."""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import FieldDoesNotExist
from django.utils import formats
from django.utils.translation import gettext as _

from .models import AuditEvent


def events():
    """Newest first, with who and the object type in the same query."""
    return AuditEvent.objects.select_related("actor", "content_type").order_by("-at", "-pk")


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # how the trail stores a date


@dataclass
class Change:
    field: str
    before: str
    after: str


def _label(model, key: str) -> str:
    """The field's name in the user's language; a reverse relation by its model's plural."""
    if model is None:
        return key
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return key
    if hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return str(field.related_model._meta.verbose_name_plural)


def _text(value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        try:
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    return str(value)


def event_changes(event: AuditEvent) -> list[Change]:
    """The values before and after, one row per field, labelled with the field's name."""
    model = event.content_type.model_class() if event.content_type_id else None
    keys = list(dict.fromkeys([*event.before, *event.after]))
    return [
        Change(
            _label(model, key),
            _text(event.before.get(key)) if key in event.before else "",
            _text(event.after.get(key)) if key in event.after else "",
        )
        for key in keys
    ]


def rows(page) -> list[dict]:
    """The events of one page, ready for the template (no further queries)."""
    return [
        {
            "event": event,
            "type": event.content_type.name if event.content_type_id else "",
            "changes": event_changes(event),
        }
        for event in page
    ]
