"""Thin tasks: they take ids, call a service and are safe to run twice."""

from celery import shared_task

from . import services
from .bounce_mailbox import bounce_mailbox_read


@shared_task(acks_late=True, name="outbox.send_mails")
def send_mails(mail_ids: list[int]) -> dict:
    return services.mail_send_many(mail_ids=mail_ids)


@shared_task(acks_late=True, name="outbox.send_due")
def send_due() -> int:
    return services.mail_queue_due()


@shared_task(acks_late=True, name="outbox.batch_chunk")
def batch_chunk(batch_id: int, start: int, end: int) -> dict:
    return services.batch_chunk_send(batch_id=batch_id, start=start, end=end)


@shared_task(acks_late=True, name="outbox.read_bounces")
def read_bounces() -> dict:
    return bounce_mailbox_read()
