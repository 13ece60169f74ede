import logging

from celery import shared_task

from .review import retention_review_create

log = logging.getLogger(__name__)


@shared_task(name="operations.retention_review", acks_late=True)
def retention_review():
    """Yearly: lists the funding evidence whose keeping period ended, for a person to confirm
    (admin, "Retention reviews")."""
    review = retention_review_create()
    waiting = review.items.filter(deleted_at__isnull=True).count()
    if waiting:
        log.warning("retention review %s: %s records may be deleted", review.year, waiting)
    return waiting
