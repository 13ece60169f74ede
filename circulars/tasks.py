"""Thin tasks: they call a service and are safe to run twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, name="circulars.send_due")
def send_due() -> int:
    return services.circulars_send_due()
