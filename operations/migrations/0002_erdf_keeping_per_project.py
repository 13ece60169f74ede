"""The date of the last payment moves from the SEFEX programme (ErdfKeeping) onto the ERDF
projects counting that programme (funding.ErdfProject.last_payment_on), so two projects on one
programme can have their own dates."""

from django.db import migrations

NO_PROJECT = "{name} (EFRE, aus der Aufbewahrungsfrist übernommen)"


def period_of(programme) -> str:
    """A guess for a project made from a keeping alone (the admin corrects it)."""
    start = programme.funding_start
    return "2014-2020" if start and start.year < 2021 else "2021-2027"


def copy_dates(apps, schema_editor):
    ErdfKeeping = apps.get_model("operations", "ErdfKeeping")
    ErdfProject = apps.get_model("funding", "ErdfProject")
    for keeping in ErdfKeeping.objects.select_related("programme").order_by("pk"):
        projects = ErdfProject.objects.filter(programme_id=keeping.programme_id)
        if projects.exists():
            projects.update(last_payment_on=keeping.last_payment_on)
        else:
            # A keeping without a project still protected the programme's workshops: a project
            # keeps protecting them (forum attendance does not count, as before).
            ErdfProject.objects.create(
                name=NO_PROJECT.format(name=keeping.programme.name)[:200],
                period=period_of(keeping.programme),
                programme_id=keeping.programme_id,
                last_payment_on=keeping.last_payment_on,
            )


def copy_back(apps, schema_editor):
    """One keeping per programme again: the longest of its projects' (no date: kept)."""
    ErdfKeeping = apps.get_model("operations", "ErdfKeeping")
    ErdfProject = apps.get_model("funding", "ErdfProject")
    dates: dict[int, list] = {}
    for programme_id, paid in ErdfProject.objects.filter(programme__isnull=False).values_list(
        "programme_id", "last_payment_on"
    ):
        dates.setdefault(programme_id, []).append(paid)
    for programme_id, paid in dates.items():
        last = None if None in paid else max(paid)
        ErdfKeeping.objects.create(programme_id=programme_id, last_payment_on=last)


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0001_initial"),
        ("funding", "0008_erdf_project_last_payment"),
    ]

    operations = [
        migrations.RunPython(copy_dates, copy_back),
        migrations.DeleteModel(name="ErdfKeeping"),
    ]
