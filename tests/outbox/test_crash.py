"""The outbox's promise, proven with real processes: no mail is lost, and a killed worker
repeats at most the one mail it was handing over; beat twice and two workers send once.

Counted at a real SMTP sink; the workers are `celery worker` subprocesses on Redis
reading the test database.
"""

import signal
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from outbox import services
from outbox.models import Mail
from outbox.tasks import send_due

from .workers import kill, running_workers, start_worker, wait_until, worker_env

pytestmark = pytest.mark.django_db(transaction=True)
# The killed worker's pool: each of its processes may have had one mail in flight.
VICTIM_PROCESSES = 2


def _queue(contact, n: int, *, kind: str, due_at=None) -> list[int]:
    built = [
        services.mail_build(
            kind=kind,
            related=contact,
            recipient_email=f"c{i:05d}@example.org",
            template="outbox_test",
            context={"name": f"C{i}"},
            due_at=due_at,
            marketing=True,
        )
        for i in range(n)
    ]
    services.mail_queue_many(mails=built)
    return list(Mail.objects.filter(kind=kind).values_list("pk", flat=True))


def _per_recipient(sink) -> Counter:
    return Counter(str(m["To"]) for m in list(sink.messages))


def _sent(kind: str) -> int:
    return Mail.objects.filter(kind=kind, state=Mail.State.SENT).count()


def test_worker_killed_mid_send_loses_nothing_and_resumes_within_a_minute(smtp_sink, contact):
    n = 1000
    _queue(contact, n, kind="invitation")
    env = worker_env(smtp_sink_port(smtp_sink))
    services.mail_queue_due()  # 20 tasks of 50 on Redis

    worker = start_worker(env, "victim", concurrency=VICTIM_PROCESSES)
    try:
        wait_until(lambda: len(smtp_sink.messages) >= 300, timeout=40, what="300 mails")
    finally:
        kill(worker, signal.SIGKILL)
    killed_at = timezone.now()
    assert len(smtp_sink.messages) < n, "the worker finished before it was killed"
    # Its claims are fresh for a minute: beat does not take the rows of a live worker.
    assert services.rows_of_dead_workers_requeue(killed_at) == 0

    # Beat a minute later: the dead worker's rows go back to the queue, and the rows whose
    # tasks died unacked with it are asked for again.
    services.mail_queue_due(now=killed_at + timedelta(seconds=61))
    with running_workers(env, ["restarted"]):
        wait_until(lambda: _sent("invitation") == n, timeout=40, what="all mails sent")
        wait_until(lambda: len(smtp_sink.messages) >= n, timeout=30, what="sink count")

    counts = _per_recipient(smtp_sink)
    assert len(counts) == n, f"missing={n - len(counts)}"
    repeats = sum(count - 1 for count in counts.values())
    assert repeats <= VICTIM_PROCESSES, f"each killed process repeats at most its mail: {repeats}"


def smtp_sink_port(sink) -> int:
    from django.conf import settings

    return settings.EMAIL_PORT


def test_beat_twice_and_two_workers_send_each_reminder_once(smtp_sink, contact):
    n = 300
    _queue(contact, n, kind="reminder", due_at=timezone.now() - timedelta(seconds=1))
    Mail.objects.filter(kind="reminder").update(enqueued_at=None)
    env = worker_env(smtp_sink_port(smtp_sink))
    with running_workers(env, ["one", "two"]):
        # Beat fires twice in the same minute: both runs reach the broker.
        send_due.delay()
        send_due.delay()
        wait_until(lambda: _sent("reminder") == n, timeout=40, what="all reminders sent")
        wait_until(lambda: len(smtp_sink.messages) >= n, timeout=30, what="sink count")
        # And once more by hand while the workers run: nothing is left to send.
        assert services.mail_queue_due() == 0
    counts = _per_recipient(smtp_sink)
    assert len(counts) == n
    assert max(counts.values()) == 1


def test_two_threads_sending_the_same_mails_send_each_once(smtp_sink, contact):
    ids = _queue(contact, 60, kind="race")
    barrier = threading.Barrier(2)
    errors = []

    def send():
        try:
            barrier.wait(timeout=10)
            services.mail_send_many(mail_ids=ids)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert _sent("race") == 60
    counts = _per_recipient(smtp_sink)
    assert len(counts) == 60 and max(counts.values()) == 1
