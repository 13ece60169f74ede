"""Tasks that are not lost between a commit and the broker.

`task.delay_on_commit()` publishes after the commit: a process that dies in between, or a
broker that is away at that moment, loses the task, and with it the mail it was to write.
`durable_on_commit()` also writes an Intent row in the caller's transaction; the task
(`DurableTask`) deletes it in the transaction that does its work, and beat's "send what is
due" publishes again what is still there after a while. The tasks are safe to run twice, so a
second publish of one that was only slow does no harm.
"""

import logging
from datetime import datetime, timedelta

from celery import current_app
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from django.utils import timezone

from .models import Intent

log = logging.getLogger(__name__)

REDISPATCH_AFTER = timedelta(minutes=2)
MAX_ATTEMPTS = 10  # then the row stays for staff to see (admin), and beat leaves it


def durable_on_commit(task, *args) -> None:
    """`task.delay(*args)` once the caller's transaction commits, and again by beat if it
    does not arrive. Arguments must be JSON (ids, strings)."""
    name, args = task.name, list(args)
    Intent.objects.create(name=name, args=args)
    _publish_on_commit(name, args)


def unsaved_intent(task, *args) -> Intent:
    """`durable_on_commit` for a service that writes the Intent row itself, together with
    other rows (core.inserts.insert_together), in the transaction it is in now."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("An unsaved intent is written in the transaction of its promise.")
    name, args = task.name, list(args)
    _publish_on_commit(name, args)
    return Intent(name=name, args=args)


def _publish_on_commit(name: str, args: list) -> None:
    # robust: a broker that is away does not turn the committed request into an error;
    # beat publishes the intent once it is back.
    transaction.on_commit(lambda: current_app.send_task(name, args=args), robust=True)


class DurableTask(DjangoTask):
    """Does its work and removes its intent in one transaction."""

    def __call__(self, *args, **kwargs):
        with transaction.atomic():
            result = super().__call__(*args, **kwargs)
            Intent.objects.filter(name=self.name, args=list(args)).delete()
        return result


def redispatch_stale(now: datetime | None = None) -> int:
    """Beat: publishes the intents no task has done for a while. Returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        stale = list(
            Intent.objects.select_for_update(skip_locked=True).filter(
                dispatched_at__lt=now - REDISPATCH_AFTER, attempts__lt=MAX_ATTEMPTS
            )
        )
        for intent in stale:
            log.warning("outbox: task %s was not done, sending it again", intent)
            Intent.objects.filter(pk=intent.pk).update(
                dispatched_at=now, attempts=intent.attempts + 1
            )
            transaction.on_commit(
                lambda i=intent: current_app.send_task(i.name, args=i.args), robust=True
            )
    return len(stale)
