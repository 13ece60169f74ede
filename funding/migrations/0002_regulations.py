"""The two de-minimis regulations as data: their ceilings and how the period is counted."""

from datetime import date
from decimal import Decimal

from django.db import migrations

REGULATIONS = [
    {
        "code": "2023/2831",
        "citation": (
            "Verordnung (EU) 2023/2831 der Kommission vom 13. Dezember 2023, ABl. L, 2023/2831, "
            "15.12.2023"
        ),
        "ceiling": Decimal("300000.00"),
        "window": "rolling",
        "valid_from": date(2024, 1, 1),
        "valid_until": date(2030, 12, 31),
    },
    {
        "code": "1407/2013",
        "citation": (
            "Verordnung (EU) Nr. 1407/2013 der Kommission vom 18. Dezember 2013, "
            "ABl. L 352 vom 24.12.2013, S. 1"
        ),
        "ceiling": Decimal("200000.00"),
        "window": "fiscal",
        "valid_from": date(2014, 1, 1),
        "valid_until": date(2023, 12, 31),
    },
]


def add(apps, schema_editor):
    Regulation = apps.get_model("funding", "Regulation")
    for row in REGULATIONS:
        Regulation.objects.update_or_create(code=row["code"], defaults=row)


def remove(apps, schema_editor):
    apps.get_model("funding", "Regulation").objects.filter(
        code__in=[r["code"] for r in REGULATIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
