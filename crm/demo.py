"""Demo contact history: a visit with a follow-up due today for the demo cluster manager, so
the start page, "My tasks" and the company page show one (written directly: it describes the
past; the reminder is planned as the services plan it)."""

from datetime import timedelta

from django.utils import timezone

from members.models import Company, User

from . import mails
from .models import Activity, Task


def seed_crm(manager_email: str) -> dict:
    if Activity.objects.exists():
        return {"created": False}
    manager = User.objects.filter(email=manager_email).first()
    company = Company.objects.order_by("pk").first()
    if manager is None or company is None:
        return {"created": False}
    today = timezone.localdate()
    visit = Activity.objects.create(
        company=company,
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
    )
    task = Task.objects.create(
        company=company,
        activity=visit,
        title="Partnerliste für Baugruppen schicken",
        due_on=today,
        assignee=manager,
        created_by=manager,
    )
    mails.reminder_plan(task)
    return {"created": True, "activities": 2, "tasks": 1}
