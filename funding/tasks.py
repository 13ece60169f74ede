"""Thin task: render a new aid record's certificate outside the transaction that marked the
workshop held (WeasyPrint takes a moment). Safe to run twice: the service renders only once."""

from celery import shared_task

from outbox.intents import DurableTask

from . import services
from .models import AidRecord


@shared_task(base=DurableTask, acks_late=True, name="funding.certificate_issue")
def certificate_issue(record_id: int) -> bool:
    record = AidRecord.objects.filter(pk=record_id).first()
    if record is None:
        return False
    services.certificate_issue(record=record)
    return True
