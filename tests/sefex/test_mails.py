"""SEFEX mails through the real outbox and a real SMTP sink: confirmation with .ics, reminder two
days before as a due row, moved/cancelled with an updated .ics, follow-up after "held", invitations
with a personal link, and action item reminders."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from icalendar import Calendar

from outbox.models import Mail
from outbox.tasks import send_mails
from sefex import mails, services
from sefex.models import ActionItem, Workshop

from .conftest import future, request_for


@pytest.fixture
def committed(django_capture_on_commit_callbacks, broker):
    """`with committed(): ...` commits, then a worker does the SEFEX tasks that were promised."""

    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        broker.run_named("sefex.")

    return run


def _send_due():
    send_mails.apply(args=[list(Mail.objects.values_list("pk", flat=True))])


def _calendar(message):
    attachment = next(
        a for a in message.iter_attachments() if a.get_content_type() == "text/calendar"
    )
    content = attachment.get_content()
    return Calendar.from_ical(content if isinstance(content, bytes) else content.encode())


def _booked(committed, company, module, manager, participants, start):
    workshop = request_for(company, module)
    services.workshop_update(workshop=workshop, actor=manager, participants=participants)
    with committed():
        services.workshop_schedule(
            workshop=workshop, actor=manager, project_manager=manager, starts_at=start
        )
    return Workshop.objects.get(pk=workshop.pk)


def test_confirmation_with_ics_and_reminder_two_days_before(
    committed, smtp_sink, company_a, module, project_manager, contacts_a
):
    start = future(10)
    workshop = _booked(committed, company_a, module, project_manager, contacts_a, start)
    confirmations = Mail.objects.filter(kind=mails.KIND_CONFIRMED)
    assert sorted(confirmations.values_list("recipient_email", flat=True)) == sorted(
        [c.email for c in contacts_a] + [project_manager.email]
    )
    reminders = Mail.objects.filter(kind=mails.KIND_REMINDER)
    assert {m.due_at for m in reminders} == {start - timedelta(days=2)}
    _send_due()
    assert len(smtp_sink.messages) == confirmations.count()  # reminders wait
    message = next(m for m in smtp_sink.messages if m["To"] == contacts_a[0].email)
    assert "SEFEX" in message["Subject"]
    assert module.name in message.get_body(preferencelist=("plain",)).get_content()
    calendar = _calendar(message)
    event = next(iter(calendar.walk("VEVENT")))
    assert str(calendar["METHOD"]) == "REQUEST"
    assert event.decoded("dtstart") == start
    assert int(event["SEQUENCE"]) == 0
    with time_machine.travel(start - timedelta(days=2, minutes=-1)):
        _send_due()
    assert (
        Mail.objects.filter(kind=mails.KIND_REMINDER, state=Mail.State.SENT).count()
        == reminders.count()
    )
    # Running the send again sends nothing twice.
    sent = len(smtp_sink.messages)
    _send_due()
    assert len(smtp_sink.messages) == sent
    assert workshop.state == Workshop.State.SCHEDULED


def test_moved_and_cancelled_workshops_send_updated_calendars(
    committed, smtp_sink, company_a, module, project_manager, contacts_a
):
    workshop = _booked(committed, company_a, module, project_manager, contacts_a, future(10))
    _send_due()
    with committed():
        services.workshop_reschedule(
            workshop=workshop, actor=project_manager, starts_at=future(12, hour=13)
        )
    states = dict(Mail.objects.filter(kind=mails.KIND_REMINDER).values_list("due_at", "state"))
    assert states[future(10) - timedelta(days=2)] == Mail.State.CANCELLED
    assert states[future(12, hour=13) - timedelta(days=2)] == Mail.State.QUEUED
    _send_due()
    moved = [m for m in smtp_sink.messages if m["To"] == contacts_a[0].email][-1]
    event = next(iter(_calendar(moved).walk("VEVENT")))
    assert int(event["SEQUENCE"]) == 1 and event.decoded("dtstart") == future(12, hour=13)
    uid = str(event["UID"])
    with committed():
        services.workshop_cancel(workshop=workshop, actor=project_manager, reason="Krankheit")
    assert not Mail.objects.filter(kind=mails.KIND_REMINDER, state=Mail.State.QUEUED).exists()
    _send_due()
    cancelled = [m for m in smtp_sink.messages if m["To"] == contacts_a[0].email][-1]
    calendar = _calendar(cancelled)
    event = next(iter(calendar.walk("VEVENT")))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])) == (
        uid,
        2,
        "CANCELLED",
    )
    assert "Krankheit" in cancelled.get_body(preferencelist=("plain",)).get_content()


def test_invitation_link_and_follow_up_after_held(
    committed, smtp_sink, company_a, module, project_manager, contacts_a, client
):
    workshop = request_for(company_a, module)
    with committed():
        services.slots_propose(
            workshop=workshop,
            actor=project_manager,
            project_manager=project_manager,
            starts=[future(5), future(6)],
            invite=contacts_a,
        )
    _send_due()
    [invitation] = smtp_sink.messages
    text = invitation.get_body(preferencelist=("plain",)).get_content()
    link = next(line for line in text.splitlines() if "/sefex/link/" in line).strip()
    path = link[link.index("/sefex/link/") :]
    slot = workshop.slots.order_by("starts_at").first()
    with committed():
        client.post(path, {"slot": slot.pk})
    workshop.refresh_from_db()
    assert workshop.state == Workshop.State.SCHEDULED
    with committed():
        services.workshop_mark_held(workshop=workshop, actor=project_manager, now=workshop.ends_at)
    followups = Mail.objects.filter(kind=mails.KIND_FOLLOWUP)
    assert list(followups.values_list("recipient_email", flat=True)) == [contacts_a[0].email]
    _send_due()
    followup = smtp_sink.messages[-1]
    text = followup.get_body(preferencelist=("plain",)).get_content()
    feedback_path = next(line for line in text.splitlines() if "/sefex/feedback/" in line)
    feedback_path = feedback_path[feedback_path.index("/sefex/feedback/") :].strip()
    response = client.post(feedback_path, {"rating": "5", "comment": "Sehr hilfreich"})
    assert response.status_code == 200
    assert workshop.feedback.get().rating == 5


def test_action_item_reminder_is_due_on_the_morning_and_replanned(
    committed, company_a, module, project_manager, contacts_a
):
    from .conftest import held

    workshop = held(company_a, module, project_manager, future(3), now=future(4))
    due = timezone.localdate() + timedelta(days=20)
    with committed():
        item = services.action_item_create(
            workshop=workshop,
            actor=project_manager,
            title="ABC-Analyse",
            owner=contacts_a[0],
            due_on=due,
        )
    row = Mail.objects.get(kind=mails.KIND_ACTION_DUE)
    assert row.recipient_email == contacts_a[0].email
    assert timezone.localtime(row.due_at).date() == due
    assert timezone.localtime(row.due_at).hour == 8
    with committed():
        services.action_item_update(
            item=item,
            actor=project_manager,
            title=item.title,
            owner=contacts_a[0],
            due_on=due + timedelta(days=7),
            state=ActionItem.State.OPEN,
        )
    states = dict(Mail.objects.filter(kind=mails.KIND_ACTION_DUE).values_list("key", "state"))
    assert states == {
        due.isoformat(): Mail.State.CANCELLED,
        (due + timedelta(days=7)).isoformat(): Mail.State.QUEUED,
    }
    with committed():
        services.action_item_mark_done(item=item, actor=project_manager)
    assert not Mail.objects.filter(kind=mails.KIND_ACTION_DUE, state=Mail.State.QUEUED).exists()


def test_every_mail_renders_with_its_sample_in_both_languages(db):  # the sender is in the db
    from outbox.catalogue import registered
    from outbox.rendering import render_mail

    kinds = {t.kind: t for t in registered() if t.kind.startswith("sefex_")}
    assert set(kinds) == {
        mails.KIND_PROPOSED,
        mails.KIND_CONFIRMED,
        mails.KIND_REMINDER,
        mails.KIND_RESCHEDULED,
        mails.KIND_CANCELLED,
        mails.KIND_FOLLOWUP,
        mails.KIND_ACTION_DUE,
    }
    for mail_type in kinds.values():
        for language in ("de", "en"):
            rendered = render_mail(
                template=mail_type.template,
                context=mail_type.sample(),
                language=language,
                recipient_email="a@example.org",
                contact_id=None,
            )
            assert rendered.subject and "Anna Alpha" in rendered.text
            assert "Expansion" in rendered.text and "<html" in rendered.html.lower()
