"""Writes on the contact history: one transaction each, keyword-only, recorded in the audit
trail; the reminder mail is an outbox row written in the same transaction."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from members.clusters import manages_cluster, sees_every_cluster
from members.models import Cluster, Company, User

from . import mails
from .audit import CrmAction
from .models import Activity, Task
from .permissions import is_staff_member, may_work_on


def _check_assignee(assignee: User) -> None:
    if not is_staff_member(assignee):
        raise ValidationError(_("Tasks can only be assigned to the cluster team."))


def _task_create(
    *,
    actor,
    company: Company,
    title: str,
    due_on: date,
    assignee: User,
    activity: Activity | None = None,
) -> Task:
    _check_assignee(assignee)
    task = Task.objects.create(
        company=company,
        activity=activity,
        title=title,
        due_on=due_on,
        assignee=assignee,
        created_by=actor,
    )
    mails.reminder_plan(task)
    audit.record(
        actor=actor,
        action=CrmAction.TASK_CREATED,
        obj=task,
        after=audit.values(task, ["company", "title", "due_on", "assignee"]),
    )
    return task


@transaction.atomic(durable=True)
def activity_log(
    *,
    actor: User,
    company: Company,
    kind: str,
    happened_on: date,
    topic: str,
    text: str = "",
    contacts=(),
    follow_up: dict | None = None,
    cluster: Cluster | None = None,
) -> Activity:
    """Records an activity; `follow_up` (title, due_on, assignee) adds a task to it. `cluster`:
    the cluster's relationship it belongs to (None: agency-wide, for agency-wide staff only)."""
    if not may_work_on(actor):
        raise PermissionDenied
    if cluster is None and not sees_every_cluster(actor):
        raise ValidationError(_("Please choose the cluster this activity belongs to."))
    if cluster is not None and not manages_cluster(actor, cluster.pk):
        raise PermissionDenied
    contacts = list(contacts)
    if any(contact.company_id != company.pk for contact in contacts):
        raise ValidationError(_("Only contacts of this company can be involved."))
    activity = Activity.objects.create(
        company=company,
        cluster=cluster,
        kind=kind,
        happened_on=happened_on,
        topic=topic,
        text=text,
        author=actor,
    )
    activity.contacts.set(contacts)
    audit.record(
        actor=actor,
        action=CrmAction.ACTIVITY_LOGGED,
        obj=activity,
        after=audit.values(
            activity, ["company", "cluster", "kind", "happened_on", "topic", "contacts"]
        ),
    )
    if follow_up:
        _task_create(actor=actor, company=company, activity=activity, **follow_up)
    return activity


@transaction.atomic(durable=True)
def task_create(*, actor: User, company: Company, title: str, due_on: date, assignee: User) -> Task:
    if not may_work_on(actor):
        raise PermissionDenied
    return _task_create(actor=actor, company=company, title=title, due_on=due_on, assignee=assignee)


@transaction.atomic(durable=True)
def contact_take_up(*, actor: User, company: Company, today: date | None = None) -> Task | None:
    """ "Kontakt aufnehmen" from the sleeping-members list: a task for the actor, due today.
    None if the company has an open task already (a second click adds nothing)."""
    if not may_work_on(actor):
        raise PermissionDenied
    Company.objects.select_for_update().filter(pk=company.pk).first()  # one click at a time
    if Task.objects.filter(company=company, done_at__isnull=True).exists():
        return None
    return _task_create(
        actor=actor,
        company=company,
        title=_("Get in touch with %(company)s") % {"company": company.legal_name},
        due_on=today or timezone.localdate(),
        assignee=actor,
    )


def _set_done(*, actor: User, task: Task, done: bool) -> Task:
    if not may_work_on(actor):
        raise PermissionDenied
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("company", "assignee")
        .get(pk=task.pk)
    )
    if task.is_done == done:
        return task
    before = audit.json_value(task.done_at)
    task.done_at = timezone.now() if done else None
    task.done_by = actor if done else None
    task.save(update_fields=["done_at", "done_by"])
    mails.reminder_plan(task)
    audit.record(
        actor=actor,
        action=CrmAction.TASK_DONE if done else CrmAction.TASK_REOPENED,
        obj=task,
        before={"done_at": before},
        after={"done_at": audit.json_value(task.done_at)},
    )
    return task


@transaction.atomic(durable=True)
def task_done(*, actor: User, task: Task) -> Task:
    """Marks the task done; its unsent reminder is dropped."""
    return _set_done(actor=actor, task=task, done=True)


@transaction.atomic(durable=True)
def task_reopen(*, actor: User, task: Task) -> Task:
    """Opens the task again; a reminder is planned for its due date if none was sent yet."""
    return _set_done(actor=actor, task=task, done=False)
