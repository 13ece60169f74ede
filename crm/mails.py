"""The crm app's mail, declared once: the reminder to a task's assignee, planned for the due
morning as an outbox row.

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
from outbox.catalogue import MailKind, Recipient
from outbox.services import mail_cancel_pending

KIND_TASK_DUE = "crm_task_due"
BERLIN = ZoneInfo("Europe/Berlin")
REMINDER_TIME = time(7, 0)


def reminder_at(due_on: date) -> datetime:
    return datetime.combine(due_on, REMINDER_TIME, tzinfo=BERLIN)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _recipients(task) -> list[Recipient]:
    return [Recipient(task.assignee.email, task.assignee.get_full_name() or task.assignee.email)]


def _context(task, recipient: Recipient) -> dict:
    return {
        "name": recipient.name,
        "title": task.title,
        "company": task.company.legal_name,
        "due_on": task.due_on,
        "tasks_url": _absolute(reverse("crm:my_tasks")),
        "company_url": _absolute(reverse("members:company", args=[task.company_id])),
    }


def _sample() -> dict:
    return {
        "name": "Clara Cluster",
        "title": "Angebot für den Werksbesuch nachfassen",
        "company": Company(legal_name="Alpha Präzisionstechnik GmbH").legal_name,
        "due_on": date(2026, 3, 2),
        "tasks_url": _absolute("/crm/tasks/"),
        "company_url": _absolute("/members/1/"),
    }


TASK_DUE = MailKind(
    kind=KIND_TASK_DUE,
    label=_("Follow-up task due"),
    template="emails/crm_task_due",
    recipients=_recipients,
    context=_context,
    scope=lambda task: task.company,
    sample=_sample,
)
KINDS = (TASK_DUE,)


def reminder_plan(task) -> bool:
    """Drops the task's unsent reminder and plans one for its due date if it is open.
    Call inside the transaction that changed the task."""
    mail_cancel_pending(related=task, kind=TASK_DUE.kind)
    if task.is_done or not task.assignee.is_active or not task.assignee.email:
        return False
    mail = TASK_DUE.queue_one(task, key=task.due_on.isoformat(), due_at=reminder_at(task.due_on))
    return mail is not None
