"""Mail goes through Django's mail backend API: any backend works, and a slow run keeps its
claims alive so that beat never mistakes it for a dead worker."""

import threading
import time

import pytest
from django.core import mail as django_mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django.utils import timezone

from outbox import services
from outbox.models import Mail


class SlowBackend(LocmemBackend):
    """Django's in-memory backend, taking its time over every mail (a slow server)."""

    def send_messages(self, messages):
        time.sleep(0.6)
        return super().send_messages(messages)


@pytest.mark.django_db
def test_a_non_smtp_backend_sends_the_same_mail(settings, queue_test_mail, contact):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail = queue_test_mail()
    assert services.mail_send(mail_id=mail.pk) == Mail.State.SENT
    [message] = django_mail.outbox
    assert message.to == [contact.email.lower()]
    assert message.extra_headers["Message-ID"].startswith(f"<outbox-{mail.pk}@")
    assert message.subject == mail.subject and message.body == mail.text_body


@pytest.mark.django_db(transaction=True)
def test_a_slow_run_keeps_its_claims_alive(settings, queue_test_mail):
    settings.EMAIL_BACKEND = "tests.outbox.test_backends.SlowBackend"
    settings.OUTBOX_CLAIM_SECONDS = 1
    settings.OUTBOX_HEARTBEAT_SECONDS = 0.3
    ids = [queue_test_mail(recipient_email=f"slow{i}@example.org").pk for i in range(5)]
    done = threading.Event()

    def send():
        try:
            services.mail_send_many(mail_ids=ids)
        finally:
            connection.close()
            done.set()

    sender = threading.Thread(target=send)
    sender.start()
    rescued = 0
    try:
        # Three seconds of a five-mail run, well past the claim's expiry of one second.
        time.sleep(1.5)
        while not done.is_set():
            rescued += services.rows_of_dead_workers_requeue(timezone.now())
            time.sleep(0.2)
    finally:
        sender.join(timeout=30)
    assert rescued == 0
    assert Mail.objects.filter(pk__in=ids, state=Mail.State.SENT).count() == 5
    assert len(django_mail.outbox) == 5  # each mail once


@pytest.mark.django_db(transaction=True)
def test_without_the_heartbeat_the_same_run_would_be_taken_for_dead(settings, queue_test_mail):
    """The check above can fail: with a heartbeat slower than the expiry, beat takes rows."""
    settings.EMAIL_BACKEND = "tests.outbox.test_backends.SlowBackend"
    settings.OUTBOX_CLAIM_SECONDS = 1
    settings.OUTBOX_HEARTBEAT_SECONDS = 60
    ids = [queue_test_mail(recipient_email=f"slow{i}@example.org").pk for i in range(5)]
    sender = threading.Thread(
        target=lambda: (services.mail_send_many(mail_ids=ids), connection.close())
    )
    sender.start()
    time.sleep(1.5)
    rescued = services.rows_of_dead_workers_requeue(timezone.now())
    sender.join(timeout=30)
    assert rescued >= 1
