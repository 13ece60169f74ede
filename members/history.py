"""Change history (django-simple-history) as readable entries: who, when, what."""

from django.utils.translation import gettext_lazy as _

KINDS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def _display(model, field_name, value):
    field = model._meta.get_field(field_name)
    if value in (None, ""):
        return "–"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def history_entries(records) -> list[dict]:
    """Newest first; each with the changed fields against the record before (one query)."""
    records = list(records.select_related("history_user").order_by("history_date", "history_id"))
    entries = []
    previous = None
    for record in records:
        changes = []
        model = record.instance_type
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                changes.append(
                    {
                        "field": field.verbose_name,
                        "old": _display(model, change.field, change.old),
                        "new": _display(model, change.field, change.new),
                    }
                )
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "kind": KINDS.get(record.history_type, record.history_type),
                "changes": changes,
            }
        )
        previous = record
    entries.reverse()
    return entries
