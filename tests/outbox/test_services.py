"""The outbox against PostgreSQL, Redis-free task calls and a real SMTP sink."""

import socket
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from outbox import services
from outbox.models import Mail, Suppression
from outbox.tasks import send_due, send_mails

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket is closed


def test_queue_renders_and_sends_once_on_commit(
    smtp_sink, queue_test_mail, contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        mail = queue_test_mail(
            attachments=[("forum.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")]
        )
    assert mail.state == Mail.State.QUEUED
    assert mail.recipient_email == "anna.alpha@alpha.example"
    assert len(callbacks) == 1  # the send task left only once the transaction committed

    assert send_mails.apply(args=[[mail.pk]]).get() == {"sent": 1, "retry": 0, "failed": 0}
    mail.refresh_from_db()
    assert mail.state == Mail.State.SENT and mail.sent_at and mail.attempts == 1

    [message] = smtp_sink.messages
    assert message["To"] == "anna.alpha@alpha.example"
    assert message["Subject"] == mail.subject
    assert contact.first_name in message["Subject"]
    assert message["Message-ID"].startswith(f"<outbox-{mail.pk}@")
    assert message["Reply-To"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    # Text is not HTML-escaped, HTML is.
    assert "http://testserver/x?a=1&b=2" in text
    assert "http://testserver/x?a=1&amp;b=2" in html
    for part in (text, html):
        assert "Heilbronn" in part  # the sender's imprint
        assert "/mail/opt-out/" in part
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "forum.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert b"BEGIN:VCALENDAR" in attachment.get_content().encode()

    # Running the task again sends nothing more.
    send_mails.apply(args=[[mail.pk]])
    assert len(smtp_sink.messages) == 1


def test_second_queue_is_a_no_op(queue_test_mail, contact):
    assert queue_test_mail() is not None
    assert queue_test_mail(recipient_email=contact.email.upper()) is None
    assert queue_test_mail(key_suffix="1d") is not None  # another key is another mail
    assert Mail.objects.count() == 2


def test_language_of_the_mail(queue_test_mail):
    german = queue_test_mail(language="de", key_suffix="de")
    english = queue_test_mail(language="en", key_suffix="en")
    assert english.subject.startswith("Test mail from MetallDIALOG")
    assert german.language == "de" and english.language == "en"


def test_recipient_without_address_is_refused(queue_test_mail):
    with pytest.raises(ValidationError):
        queue_test_mail(recipient_email="  ")
    assert not Mail.objects.exists()


def test_future_mail_waits_for_beat(
    smtp_sink, queue_test_mail, django_capture_on_commit_callbacks, broker_queue
):
    later = timezone.now() + timedelta(days=7)
    with django_capture_on_commit_callbacks() as callbacks:
        mail = queue_test_mail(due_at=later)
    assert callbacks == []  # no ETA task days ahead
    assert services.mail_queue_due() == 0
    send_mails.apply(args=[[mail.pk]])
    assert smtp_sink.messages == []

    with django_capture_on_commit_callbacks(execute=True):
        assert services.mail_queue_due(now=later + timedelta(seconds=1)) == 1
    assert broker_queue.take() == [("outbox.send_mails", [[mail.pk]], {})]


def test_send_due_sends_what_is_due(
    smtp_sink, queue_test_mail, django_capture_on_commit_callbacks, broker_queue
):
    mail = queue_test_mail(due_at=timezone.now() - timedelta(seconds=1))
    Mail.objects.filter(pk=mail.pk).update(enqueued_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due.apply().get() == 1
    assert broker_queue.run_all() == [{"sent": 1, "retry": 0, "failed": 0}]
    mail.refresh_from_db()
    assert mail.state == Mail.State.SENT
    assert len(smtp_sink.messages) == 1
    # Beat again: nothing left to queue.
    assert send_due.apply().get() == 0


def test_cancel_pending_allows_replanning(queue_test_mail, contact):
    due = timezone.now() + timedelta(days=3)
    first = queue_test_mail(due_at=due, key_suffix="7d")
    assert services.mail_cancel_pending(related=contact, kind="outbox_test") == 1
    first.refresh_from_db()
    assert first.state == Mail.State.CANCELLED
    second = queue_test_mail(due_at=due + timedelta(days=1), key_suffix="7d")
    assert second is not None and second.pk != first.pk


def test_smtp_down_retries_then_fails_then_staff_retry_sends_once(
    smtp_sink, settings, queue_test_mail
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    sink_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _closed_port()
    mail = queue_test_mail()

    send_mails.apply(args=[[mail.pk]])
    mail.refresh_from_db()
    assert mail.state == Mail.State.QUEUED and mail.attempts == 1
    assert "Connection" in mail.last_error or "refused" in mail.last_error.lower()
    assert mail.due_at > timezone.now()  # back-off

    for attempt in (2, 3):
        Mail.objects.filter(pk=mail.pk).update(due_at=timezone.now())
        send_mails.apply(args=[[mail.pk]])
        mail.refresh_from_db()
        assert mail.attempts == attempt
    assert mail.state == Mail.State.FAILED
    assert mail.last_error

    settings.EMAIL_PORT = sink_port
    send_mails.apply(args=[[mail.pk]])
    assert smtp_sink.messages == []  # failed stays failed until staff retry

    services.mail_retry(mail=mail)
    send_mails.apply(args=[[mail.pk]])
    send_mails.apply(args=[[mail.pk]])
    mail.refresh_from_db()
    assert mail.state == Mail.State.SENT
    assert len(smtp_sink.messages) == 1
    with pytest.raises(ValidationError):
        services.mail_retry(mail=mail)


def test_stuck_sending_row_is_rescued(
    smtp_sink, queue_test_mail, django_capture_on_commit_callbacks, broker_queue
):
    mail = queue_test_mail()
    long_ago = timezone.now() - timedelta(hours=1)
    Mail.objects.filter(pk=mail.pk).update(state=Mail.State.SENDING, claimed_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.mail_queue_due() == 1
    broker_queue.run_all()
    mail.refresh_from_db()
    assert mail.state == Mail.State.SENT
    assert len(smtp_sink.messages) == 1


def test_suppressed_address_gets_no_advertising(smtp_sink, queue_test_mail, contact):
    services.suppression_add(email=contact.email, contact=contact)
    assert Suppression.objects.filter(email="anna.alpha@alpha.example").exists()
    contact.refresh_from_db()
    assert contact.opted_out_at is not None

    invitation = queue_test_mail(kind="invitation", marketing=True)
    assert invitation.state == Mail.State.SUPPRESSED
    assert invitation.last_error  # staff see why
    confirmation = queue_test_mail(kind="confirmation")
    send_mails.apply(args=[[invitation.pk, confirmation.pk]])
    assert [m["Subject"] for m in smtp_sink.messages] == [confirmation.subject]


def test_opt_out_after_queueing_stops_the_pending_invitation(smtp_sink, queue_test_mail, contact):
    invitation = queue_test_mail(kind="invitation", marketing=True)
    services.suppression_add(email=contact.email, contact=contact)
    send_mails.apply(args=[[invitation.pk]])
    invitation.refresh_from_db()
    assert invitation.state == Mail.State.SUPPRESSED
    assert smtp_sink.messages == []


def test_queue_many_skips_existing_and_returns_fresh_ids(queue_test_mail, contact):
    existing = queue_test_mail(kind="bulk")
    mails = [
        services.mail_build(
            kind="bulk",
            related=contact,
            recipient_email=address,
            template="outbox_test",
            context={"name": "X"},
            marketing=True,
        )
        for address in (contact.email, "other@example.org", "third@example.org")
    ]
    ids = services.mail_queue_many(mails=mails)
    assert len(ids) == 2 and existing.pk not in ids
    assert Mail.objects.filter(kind="bulk").count() == 3


def test_invalid_address_is_refused_with_a_message(queue_test_mail):
    with pytest.raises(ValidationError) as error:
        queue_test_mail(recipient_email="anna at alpha")
    assert "anna at alpha" in " ".join(error.value.messages)
    assert not Mail.objects.exists()


def test_a_mail_that_cannot_be_built_fails_alone(smtp_sink, queue_test_mail):
    bad = queue_test_mail(kind="bad")
    good = queue_test_mail(kind="good")
    # An address that passed once but the SMTP layer cannot encode (e.g. edited in the database).
    Mail.objects.filter(pk=bad.pk).update(recipient_email="line\nbreak@example.org")
    assert send_mails.apply(args=[[bad.pk, good.pk]]).get() == {"sent": 1, "retry": 0, "failed": 1}
    bad.refresh_from_db()
    assert bad.state == Mail.State.FAILED and "ValueError" in bad.last_error
    assert [str(m["To"]) for m in smtp_sink.messages] == [good.recipient_email]


def test_a_mail_built_while_the_one_before_is_sent_fails_alone(smtp_sink, queue_test_mail):
    """Each mail is built while the server takes in the one before; a mail that cannot be
    built still fails on its own row, between two that go out."""
    first, bad, last = (queue_test_mail(kind=kind) for kind in ("first", "bad", "last"))
    Mail.objects.filter(pk=bad.pk).update(recipient_email="line\nbreak@example.org")
    ids = [first.pk, bad.pk, last.pk]
    assert send_mails.apply(args=[ids]).get() == {"sent": 2, "retry": 0, "failed": 1}
    states = dict(Mail.objects.filter(pk__in=ids).values_list("pk", "state"))
    assert states == {first.pk: "sent", bad.pk: "failed", last.pk: "sent"}
    sent_ids = [m["Message-ID"].split("@")[0].removeprefix("<outbox-") for m in smtp_sink.messages]
    assert sent_ids == [str(first.pk), str(last.pk)]
