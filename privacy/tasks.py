from celery import shared_task

from .retention import retention_run


@shared_task(name="privacy.retention", acks_late=True)
def retention():
    """Beat, daily: anonymise stale prospect contacts; safe to run twice (anonymised ones
    no longer match)."""
    return retention_run()
