"""The agency's identity and the clusters' short names from what the settings said so far."""

from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    Agency = apps.get_model("members", "Agency")
    Cluster = apps.get_model("members", "Cluster")
    Agency.objects.get_or_create(
        pk=1,
        defaults={
            "name": settings.SENDER_NAME,
            "sender_name": settings.SENDER_NAME,
            "sender_email": settings.SENDER_CONTACT_EMAIL,
            "address": settings.SENDER_ADDRESS,
        },
    )
    for cluster in Cluster.objects.filter(short_name=""):
        cluster.short_name = cluster.name[:40]
        cluster.save(update_fields=["short_name"])


class Migration(migrations.Migration):
    dependencies = [("members", "0013_cluster_identity")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
