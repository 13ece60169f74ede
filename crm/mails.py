"""The reminder to a task's assignee, planned for the due morning as an outbox row.

The outbox's beat task ("send what is due", every minute) sends it when its time comes; the
unique key (kind, task, recipient, due date) makes a second plan for the same day a no-op, so
the assignee gets exactly one reminder per due date. Done or re-dated tasks drop the unsent one.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import Company
from outbox.services import mail_cancel_pending, mail_queue

KIND_TASK_DUE = "crm_task_due"
TEMPLATE = "emails/crm_task_due"
BERLIN = ZoneInfo("Europe/Berlin")
REMINDER_TIME = time(7, 0)


def reminder_at(due_on: date) -> datetime:
    return datetime.combine(due_on, REMINDER_TIME, tzinfo=BERLIN)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def reminder_plan(task) -> bool:
    """Drops the task's unsent reminder and plans one for its due date if it is open.
    Call inside the transaction that changed the task."""
    mail_cancel_pending(related=task, kind=KIND_TASK_DUE)
    if task.is_done or not task.assignee.is_active or not task.assignee.email:
        return False
    mail = mail_queue(
        kind=KIND_TASK_DUE,
        related=task,
        recipient_email=task.assignee.email,
        template=TEMPLATE,
        context={
            "name": task.assignee.get_full_name() or task.assignee.email,
            "title": task.title,
            "company": task.company.legal_name,
            "due_on": task.due_on,
            "tasks_url": _absolute(reverse("crm:my_tasks")),
            "company_url": _absolute(reverse("members:company", args=[task.company_id])),
        },
        due_at=reminder_at(task.due_on),
        key_suffix=task.due_on.isoformat(),
        scope=task.company,
    )
    return mail is not None


def _sample() -> dict:
    return {
        "name": "Clara Cluster",
        "title": "Angebot für den Werksbesuch nachfassen",
        "company": Company(legal_name="Alpha Präzisionstechnik GmbH").legal_name,
        "due_on": date(2026, 3, 2),
        "tasks_url": _absolute("/crm/tasks/"),
        "company_url": _absolute("/members/1/"),
    }


def register_sample() -> None:
    from outbox.samples import register

    register(kind=KIND_TASK_DUE, label=_("Follow-up task due"), template=TEMPLATE, sample=_sample)
