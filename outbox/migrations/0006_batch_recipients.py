"""The recipients of a bulk send become rows (one per contact, with its place in the send)
instead of a list of ids inside the batch, so pages can join against them."""

import django.db.models.deletion
from django.db import migrations, models


def ids_to_rows(apps, schema_editor):
    Batch = apps.get_model("outbox", "Batch")
    BatchRecipient = apps.get_model("outbox", "BatchRecipient")
    Contact = apps.get_model("members", "Contact")
    for batch in Batch.objects.exclude(contact_ids=[]).iterator():
        ids = list(dict.fromkeys(batch.contact_ids))
        existing = set(Contact.objects.filter(pk__in=ids).values_list("pk", flat=True))
        BatchRecipient.objects.bulk_create(
            BatchRecipient(batch_id=batch.pk, position=position, contact_id=contact_id)
            for position, contact_id in enumerate(ids)
            if contact_id in existing
        )


def rows_to_ids(apps, schema_editor):
    Batch = apps.get_model("outbox", "Batch")
    for batch in Batch.objects.iterator():
        batch.contact_ids = list(
            batch.recipients.order_by("position").values_list("contact_id", flat=True)
        )
        batch.save(update_fields=["contact_ids"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_search_indexes"),
        ("outbox", "0005_intent"),
    ]

    operations = [
        migrations.CreateModel(
            name="BatchRecipient",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveIntegerField()),
                (
                    "batch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="recipients",
                        to="outbox.batch",
                    ),
                ),
                (
                    "contact",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="members.contact",
                        verbose_name="Contact",
                    ),
                ),
            ],
            options={
                "verbose_name": "Recipient of a batch",
                "verbose_name_plural": "Recipients of a batch",
                "ordering": ["batch", "position"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("batch", "position"), name="outbox_batch_position"
                    ),
                    models.UniqueConstraint(
                        fields=("batch", "contact"), name="outbox_batch_contact"
                    ),
                ],
            },
        ),
        migrations.RunPython(ids_to_rows, rows_to_ids),
        migrations.RemoveField(model_name="batch", name="contact_ids"),
    ]
