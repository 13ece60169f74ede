"""The two de-minimis regulations as data: their ceilings and how the period is counted."""

from django.db import migrations

from funding.regulations import REGULATIONS, ensure


def add(apps, schema_editor):
    ensure(apps.get_model("funding", "Regulation"))


def remove(apps, schema_editor):
    apps.get_model("funding", "Regulation").objects.filter(
        code__in=[r["code"] for r in REGULATIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
