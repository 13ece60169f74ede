"""The forums' mails through the real outbox: queued on commit, sent over SMTP (aiosmtpd),
reminders as rows due at a time, re-planned when a forum moves."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from icalendar import Calendar

from forums import mails, services
from forums.models import Registration
from outbox.models import Mail
from outbox.tasks import send_mails

State = Registration.State


def _rows(**filters):
    return Mail.objects.filter(**filters).order_by("kind", "key", "pk")


@pytest.fixture
def people(make_company):
    return list(make_company("Mailer GmbH", contacts=4).contacts.order_by("pk"))


def _register(committed, forum, contact, **kwargs):
    with committed():
        registration = services.registration_create(forum=forum, contact=contact, **kwargs)
    return registration


def test_confirmation_with_ics_and_two_reminders(make_forum, people, committed, smtp_sink):
    forum = make_forum()
    registration = _register(committed, forum, people[0])
    confirmation = _rows(kind="forum_registration_confirmed").get()
    assert confirmation.recipient_email == people[0].email
    assert confirmation.due_at <= timezone.now()
    reminders = list(_rows(kind="forum_reminder", object_id=registration.pk))
    assert [(m.key, m.due_at) for m in reminders] == [
        ("1d", forum.starts_at - timedelta(days=1)),
        ("7d", forum.starts_at - timedelta(days=7)),
    ]
    # Send what is due through the real SMTP sink.
    send_mails.apply(args=[[m.pk for m in Mail.objects.all()]])
    assert len(smtp_sink.messages) == 1  # the reminders are not due yet
    message = smtp_sink.messages[0]
    assert message["To"] == people[0].email
    assert forum.title in message["Subject"]
    assert forum.title in message.get_body(preferencelist=("plain",)).get_content()
    assert message.get_body(preferencelist=("html",)) is not None
    attachment = next(iter(message.iter_attachments()))
    calendar = Calendar.from_ical(attachment.get_content())
    assert str(calendar["METHOD"]) == "REQUEST"
    assert people[0].email in str(next(iter(calendar.walk("VEVENT")))["ATTENDEE"])

    # A week before, the 7-day reminder is due and goes out; the 1-day one waits.
    with time_machine.travel(forum.starts_at - timedelta(days=7, minutes=-1)):
        send_mails.apply(args=[[m.pk for m in reminders]])
    assert len(smtp_sink.messages) == 2
    assert Mail.objects.get(kind="forum_reminder", key="7d").state == Mail.State.SENT
    assert Mail.objects.get(kind="forum_reminder", key="1d").state == Mail.State.QUEUED


def test_registration_mails_are_filed_under_their_forum(make_forum, people, committed):
    forum = make_forum()
    registration = _register(committed, forum, people[0])
    mails_about_it = _rows(object_id=registration.pk, kind__startswith="forum_")
    assert mails_about_it.count() == 3  # confirmation and two reminders
    assert {mail.scope for mail in mails_about_it} == {forum}


def test_late_registration_gets_only_future_reminders(make_forum, people, committed):
    start = timezone.now() + timedelta(days=3)
    forum = make_forum(starts_at=start, ends_at=start + timedelta(hours=2))
    registration = _register(committed, forum, people[0])
    assert list(
        _rows(kind="forum_reminder", object_id=registration.pk).values_list("key", flat=True)
    ) == ["1d"]


def test_waitlist_promotion_and_cancellation_mails(make_forum, people, committed):
    forum = make_forum(capacity=1, seats_per_company=5)
    first = _register(committed, forum, people[0])
    second = _register(committed, forum, people[1])
    assert second.state == State.WAITLISTED
    assert _rows(kind="forum_registration_waitlisted", object_id=second.pk).count() == 1
    assert not _rows(kind="forum_reminder", object_id=second.pk).exists()

    with committed():
        services.registration_cancel(registration=first)
    # The cancelled one: a cancellation mail, its reminders withdrawn.
    assert _rows(kind="forum_registration_cancelled", object_id=first.pk).count() == 1
    assert set(
        _rows(kind="forum_reminder", object_id=first.pk).values_list("state", flat=True)
    ) == {Mail.State.CANCELLED}
    # The promoted one: a mail saying so, and now reminders.
    assert _rows(kind="forum_registration_promoted", object_id=second.pk).count() == 1
    assert _rows(kind="forum_reminder", object_id=second.pk, state=Mail.State.QUEUED).count() == 2


def test_reschedule_informs_and_replans(make_forum, people, cluster_manager, committed, smtp_sink):
    forum = make_forum(capacity=1, seats_per_company=5)
    confirmed = _register(committed, forum, people[0])
    waiting = _register(committed, forum, people[1])
    new_start = forum.starts_at + timedelta(days=14)
    with committed():
        services.forum_reschedule(
            forum=forum,
            actor=cluster_manager,
            starts_at=new_start,
            ends_at=new_start + timedelta(hours=3),
            reason="Neuer Raum",
        )
    moved = _rows(kind="forum_rescheduled")
    assert sorted(moved.values_list("object_id", flat=True)) == sorted([confirmed.pk, waiting.pk])
    assert set(moved.values_list("key", flat=True)) == {"s1"}
    reminders = _rows(kind="forum_reminder", object_id=confirmed.pk)
    assert sorted(r.due_at for r in reminders.filter(state=Mail.State.QUEUED)) == [
        new_start - timedelta(days=7),
        new_start - timedelta(days=1),
    ]
    assert reminders.filter(state=Mail.State.CANCELLED).count() == 2

    send_mails.apply(args=[list(moved.values_list("pk", flat=True))])
    # Only the confirmed person's calendar holds the forum: the waiting one gets the mail alone.
    by_address = {m["To"]: list(m.iter_attachments()) for m in smtp_sink.messages}
    assert by_address[waiting.contact.email] == []
    calendars = [
        Calendar.from_ical(next(iter(m.iter_attachments())).get_content())
        for m in smtp_sink.messages
        if m["To"] == confirmed.contact.email
    ]
    events = [next(iter(c.walk("VEVENT"))) for c in calendars]
    assert len(events) == 1
    assert {int(e["SEQUENCE"]) for e in events} == {1}
    assert {e.decoded("DTSTART") for e in events} == {new_start}


def test_forum_cancel_sends_cancel_ics_and_drops_reminders(
    make_forum, people, cluster_manager, committed, smtp_sink
):
    forum = make_forum()
    registrations = [_register(committed, forum, p) for p in people[:2]]
    with committed():
        services.forum_cancel(forum=forum, actor=cluster_manager, reason="Referent erkrankt")
    cancelled = _rows(kind="forum_cancelled")
    assert cancelled.count() == 2
    assert not Mail.objects.filter(kind="forum_reminder", state=Mail.State.QUEUED).exists()
    send_mails.apply(args=[list(cancelled.values_list("pk", flat=True))])
    assert len(smtp_sink.messages) == 2
    message = smtp_sink.messages[0]
    assert "Referent erkrankt" in message.get_body(preferencelist=("plain",)).get_content()
    calendar = Calendar.from_ical(next(iter(message.iter_attachments())).get_content())
    assert str(calendar["METHOD"]) == "CANCEL"
    assert int(next(iter(calendar.walk("VEVENT")))["SEQUENCE"]) == 1
    assert len(registrations) == 2


def test_rolled_back_registration_sends_nothing(make_forum, people):
    """Mails are written on commit: a registration that never commits queues none."""
    forum = make_forum()
    services.registration_create(forum=forum, contact=people[0])  # test transaction: no commit
    assert not Mail.objects.exists()


def test_same_event_twice_is_one_mail(make_forum, people, committed):
    forum = make_forum()
    registration = _register(committed, forum, people[0])
    mails.registration_mail_send(registration.pk, "confirmed")
    assert _rows(kind="forum_registration_confirmed").count() == 1
    assert _rows(kind="forum_reminder", state=Mail.State.QUEUED).count() == 2


def test_feedback_requests_after_close(make_forum, people, cluster_manager, committed):
    forum = make_forum()
    registrations = [_register(committed, forum, p) for p in people[:2]]
    services.registration_check_in(registration=registrations[0], actor=cluster_manager, early=True)
    forum.starts_at = timezone.now() - timedelta(hours=3)
    forum.ends_at = timezone.now() - timedelta(hours=1)
    forum.save()
    with committed():
        services.forum_close(forum=forum, actor=cluster_manager)
    request = _rows(kind="forum_feedback_request").get()
    assert request.object_id == registrations[0].pk
    assert "/forums/feedback/" in request.text_body


def test_request_only_queues_a_task(
    make_forum, people, django_capture_on_commit_callbacks, task_queue
):
    """The registering request does not render mails: it hands a task to the broker on commit."""
    forum = make_forum()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(forum=forum, contact=people[0])
    assert not Mail.objects.exists()
    assert task_queue.take() == [("forums.registration_mail", [registration.pk, "confirmed"], {})]


def test_reminder_keeps_local_time_across_dst(make_forum):
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    start = timezone.datetime(2027, 3, 30, 18, 0, tzinfo=berlin)  # summer time since 28 March
    forum = make_forum(starts_at=start, ends_at=start + timedelta(hours=2))
    due = dict(mails.reminder_due_times(forum))
    assert due[7].astimezone(berlin).replace(tzinfo=None) == timezone.datetime(2027, 3, 23, 18, 0)
    assert due[7].utcoffset() == timedelta(hours=1)
    assert due[1].astimezone(berlin).hour == 18


def test_changed_reminder_days_replan(make_forum, people, cluster_manager, committed):
    forum = make_forum()
    registration = _register(committed, forum, people[0])
    with committed():
        services.forum_update(forum=forum, actor=cluster_manager, reminder_days=[3])
    queued = _rows(kind="forum_reminder", object_id=registration.pk, state=Mail.State.QUEUED)
    assert [(m.key, m.due_at) for m in queued] == [("3d", forum.starts_at - timedelta(days=3))]
