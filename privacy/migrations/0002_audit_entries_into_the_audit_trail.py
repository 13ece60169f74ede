"""Privacy's own audit entries move into the one audit trail (core.AuditEvent)."""

from django.db import migrations

ACTIONS = {
    "erase": "privacy.erased",
    "export": "privacy.exported",
    "retention": "privacy.retention_erased",
}


def copy_entries(apps, schema_editor):
    AuditEntry = apps.get_model("privacy", "AuditEntry")
    AuditEvent = apps.get_model("core", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    contact_type, _ = ContentType.objects.get_or_create(app_label="members", model="contact")
    AuditEvent.objects.bulk_create(
        AuditEvent(
            at=entry.created_at,
            actor_id=entry.actor_id,
            action=ACTIONS[entry.action],
            content_type=contact_type,
            object_id=str(entry.contact_id),
            object_repr=f"#{entry.contact_id}",
            reason=entry.reason,
            after=entry.details or {},
        )
        for entry in AuditEntry.objects.order_by("pk").iterator()
    )


def copy_back(apps, schema_editor):
    """The way back to the release: the entries return to privacy's table."""
    AuditEntry = apps.get_model("privacy", "AuditEntry")
    AuditEvent = apps.get_model("core", "AuditEvent")
    back = {value: key for key, value in ACTIONS.items()}
    events = AuditEvent.objects.filter(action__in=list(back)).order_by("pk")
    for event in events.iterator():
        entry = AuditEntry.objects.create(
            action=back[event.action],
            contact_id=int(event.object_id),
            actor_id=event.actor_id,
            reason=event.reason[:300],
            details=event.after or {},
        )
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=event.at)
    events.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_entries, copy_back),
        migrations.DeleteModel(name="AuditEntry"),
    ]
