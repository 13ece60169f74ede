"""Demo contact history: a visit with a follow-up due today for the demo cluster manager, so
the start page, "My tasks" and the company page show one (written directly: it describes the
past; the reminder is planned as the services plan it)."""

from datetime import timedelta

from django.utils import timezone

from members.models import Cluster, Company, User

from . import mails
from .models import Activity, Task


def seed_crm(manager_email: str, plastics_manager_email: str = "") -> dict:
    """The metal cluster's manager's visit and call with the first company (in both clusters),
    and a call of the plastics cluster's manager with it, which only she sees."""
    if Activity.objects.exists():
        return {"created": False}
    manager = User.objects.filter(email=manager_email).first()
    company = Company.objects.order_by("pk").first()
    if manager is None or company is None:
        return {"created": False}
    metall = Cluster.objects.filter(slug="metall").first()
    today = timezone.localdate()
    visit = Activity.objects.create(
        company=company,
        cluster=metall,
        kind=Activity.Kind.VISIT,
        happened_on=today - timedelta(days=6),
        topic="Werksbesuch: neue Laseranlage",
        text="Sucht Partner für Baugruppen; Interesse am nächsten Metall-Forum.",
        author=manager,
    )
    visit.contacts.set(company.contacts.order_by("pk")[:1])
    Activity.objects.create(
        company=company,
        kind=Activity.Kind.CALL,
        happened_on=today - timedelta(days=2),
        topic="Rückfrage zum SEFEX-Workshop",
        author=manager,
        cluster=metall,
    )
    plastics_manager = User.objects.filter(email=plastics_manager_email).first()
    kunststoff = Cluster.objects.filter(slug="kunststoff").first()
    activities = 2
    if plastics_manager is not None and kunststoff is not None:
        Activity.objects.create(
            company=company,
            cluster=kunststoff,
            kind=Activity.Kind.CALL,
            happened_on=today - timedelta(days=4),
            topic="Rezyklat-Einsatz im Spritzguss",
            text="Möchte beim nächsten Kunststoff-Forum über Rezyklate berichten.",
            author=plastics_manager,
        )
        activities += 1
    task = Task.objects.create(
        company=company,
        activity=visit,
        title="Partnerliste für Baugruppen schicken",
        due_on=today,
        assignee=manager,
        created_by=manager,
    )
    mails.reminder_plan(task)
    return {"created": True, "activities": activities, "tasks": 1}
