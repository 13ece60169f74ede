"""Activities, follow-up tasks and the reminder on the due morning, through the real outbox
and a real SMTP sink: exactly one reminder per due date, none for a task done in time."""

import threading
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from core.models import AuditEvent
from crm import mails, services
from crm.models import Activity, Task
from members.models import Contact
from outbox.models import Mail
from outbox.services import mail_queue_due
from outbox.tasks import send_mails


def _send_all():
    send_mails.apply(args=[list(Mail.objects.values_list("pk", flat=True))])


def _visit(actor, company, *, assignee, due_on, contacts=()):
    return services.activity_log(
        actor=actor,
        company=company,
        kind=Activity.Kind.VISIT,
        happened_on=timezone.localdate(),
        topic="Werksbesuch",
        text="Interesse an Additiver Fertigung",
        contacts=contacts,
        follow_up={"title": "Angebot nachfassen", "due_on": due_on, "assignee": assignee},
    )


def test_visit_with_follow_up_is_recorded_and_audited(cluster_manager, colleague, company_a):
    anna = company_a.contacts.get()
    due = timezone.localdate() + timedelta(days=3)
    activity = _visit(cluster_manager, company_a, assignee=colleague, due_on=due, contacts=[anna])
    assert list(activity.contacts.all()) == [anna]
    (task,) = activity.tasks.all()
    assert (task.assignee, task.due_on, task.company) == (colleague, due, company_a)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"crm_activity.logged", "crm_task.created"} <= actions
    (reminder,) = Mail.objects.filter(kind=mails.KIND_TASK_DUE)
    assert reminder.recipient_email == colleague.email
    assert reminder.due_at == datetime.combine(due, mails.REMINDER_TIME, tzinfo=mails.BERLIN)
    assert reminder.state == Mail.State.QUEUED


def test_refusals_write_nothing(cluster_manager, company_user_a, company_a, company_b):
    other = company_b.contacts.get()
    with pytest.raises(ValidationError):
        _visit(
            cluster_manager,
            company_a,
            assignee=cluster_manager,
            due_on=date(2030, 1, 1),
            contacts=[other],
        )
    with pytest.raises(ValidationError):  # tasks go to the cluster team only
        _visit(cluster_manager, company_a, assignee=company_user_a, due_on=date(2030, 1, 1))
    with pytest.raises(PermissionDenied):
        _visit(company_user_a, company_a, assignee=cluster_manager, due_on=date(2030, 1, 1))
    assert not Activity.objects.exists() and not Task.objects.exists()
    assert not Mail.objects.exists()


def test_reminder_arrives_once_on_the_due_morning(cluster_manager, company_a, smtp_sink):
    due = timezone.localdate() + timedelta(days=2)
    _visit(cluster_manager, company_a, assignee=cluster_manager, due_on=due)
    morning = datetime.combine(due, mails.REMINDER_TIME, tzinfo=mails.BERLIN)
    with time_machine.travel(morning - timedelta(minutes=1), tick=False):
        assert mail_queue_due() == 0
        _send_all()
    assert smtp_sink.messages == []
    with time_machine.travel(morning + timedelta(minutes=1), tick=False):
        assert mail_queue_due() == 1  # beat hands it to a worker
        _send_all()
        _send_all()  # a second worker, a second beat: nothing twice
        assert mail_queue_due() == 0
    (message,) = smtp_sink.messages
    assert message["To"] == cluster_manager.email
    assert "Angebot nachfassen" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert company_a.legal_name in body and "/crm/tasks/" in body


def test_done_drops_the_reminder_and_reopen_plans_it_again(cluster_manager, company_a):
    due = timezone.localdate() + timedelta(days=2)
    task = _visit(cluster_manager, company_a, assignee=cluster_manager, due_on=due).tasks.get()
    services.task_done(actor=cluster_manager, task=task)
    assert Mail.objects.get(kind=mails.KIND_TASK_DUE).state == Mail.State.CANCELLED
    services.task_done(actor=cluster_manager, task=task)  # twice: no second event
    assert AuditEvent.objects.filter(action="crm_task.done").count() == 1
    services.task_reopen(actor=cluster_manager, task=task)
    states = sorted(Mail.objects.filter(kind=mails.KIND_TASK_DUE).values_list("state", flat=True))
    assert states == sorted([Mail.State.CANCELLED, Mail.State.QUEUED])
    assert AuditEvent.objects.filter(action="crm_task.reopened").count() == 1


def test_a_sent_reminder_is_not_sent_again_after_reopening(cluster_manager, company_a, smtp_sink):
    task = _visit(
        cluster_manager, company_a, assignee=cluster_manager, due_on=timezone.localdate()
    ).tasks.get()
    with time_machine.travel(
        datetime.combine(task.due_on, mails.REMINDER_TIME, tzinfo=mails.BERLIN) + timedelta(hours=1)
    ):
        _send_all()
    assert len(smtp_sink.messages) == 1
    services.task_done(actor=cluster_manager, task=task)
    services.task_reopen(actor=cluster_manager, task=task)
    _send_all()
    assert len(smtp_sink.messages) == 1
    assert Mail.objects.filter(kind=mails.KIND_TASK_DUE).count() == 1


def test_get_in_touch_makes_one_task(cluster_manager, company_a):
    first = services.contact_take_up(actor=cluster_manager, company=company_a)
    assert first.assignee == cluster_manager and first.due_on == timezone.localdate()
    assert services.contact_take_up(actor=cluster_manager, company=company_a) is None
    assert Task.objects.count() == 1


def test_contacts_of_the_company_only(cluster_manager, company_a):
    stranger = Contact.objects.create(company=company_a, first_name="Neu", last_name="Person")
    activity = services.activity_log(
        actor=cluster_manager,
        company=company_a,
        kind=Activity.Kind.NOTE,
        happened_on=timezone.localdate(),
        topic="Notiz",
        contacts=[stranger],
    )
    assert not activity.tasks.exists() and not Mail.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_make_one_task(cluster_manager, colleague, company_a):
    """Two people press "Kontakt aufnehmen" for the same company at the same moment."""
    barrier, made = threading.Barrier(2), []

    def take_up(actor):
        try:
            barrier.wait()
            made.append(services.contact_take_up(actor=actor, company=company_a))
        finally:
            connection.close()

    threads = [threading.Thread(target=take_up, args=(u,)) for u in (cluster_manager, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 2 and sum(task is not None for task in made) == 1
    assert Task.objects.count() == 1
    assert Mail.objects.filter(kind=mails.KIND_TASK_DUE).count() == 1
