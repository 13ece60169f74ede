"""SEFEX mails promised inside a service's transaction and written by a worker after the commit.

Services call `outbox.intents.durable_on_commit(task, ...)`: the promise is an intent row
committed with the booking itself, so a lost publish, a broker that is away or a deploy at
that moment delays the mail (beat publishes it again) instead of losing it.
"""

from celery import shared_task

from outbox.intents import DurableTask

from . import mails


@shared_task(base=DurableTask, acks_late=True, name="sefex.slots_proposed")
def slots_proposed_send(workshop_pk: int, contact_pks: list[int]) -> int:
    return mails.slots_proposed_send(workshop_pk, contact_pks)


@shared_task(base=DurableTask, acks_late=True, name="sefex.booked")
def booked_send(workshop_pk: int) -> int:
    return mails.booked_send(workshop_pk)


@shared_task(base=DurableTask, acks_late=True, name="sefex.rescheduled")
def rescheduled_send(workshop_pk: int) -> int:
    return mails.rescheduled_send(workshop_pk)


@shared_task(base=DurableTask, acks_late=True, name="sefex.cancelled")
def cancelled_send(workshop_pk: int, was_booked: bool) -> int:
    return mails.cancelled_send(workshop_pk, was_booked)


@shared_task(base=DurableTask, acks_late=True, name="sefex.followup")
def followup_send(workshop_pk: int) -> int:
    return mails.followup_send(workshop_pk)


@shared_task(base=DurableTask, acks_late=True, name="sefex.action_reminder_plan")
def action_reminder_plan(item_pk: int) -> int:
    return mails.action_reminder_plan(item_pk)
