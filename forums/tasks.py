"""Thin tasks: render and queue the forums' mails outside the request (and the seat lock), and
prune the audience log on beat.

Each takes ids, calls forums.mails, and is safe to run twice: every mail row is unique per
(kind, registration, recipient, key) in the outbox, so a second run queues nothing new.
DurableTask removes the task's intent (outbox.intents) with the work, in one transaction.
"""

from datetime import datetime

from celery import shared_task

from outbox.intents import DurableTask

from . import mails, services


@shared_task(base=DurableTask, acks_late=True, name="forums.registration_mail")
def registration_mail(registration_id: int, event: str) -> None:
    mails.registration_mail_send(registration_id, event)


@shared_task(base=DurableTask, acks_late=True, name="forums.reminders_replan")
def reminders_replan(forum_id: int) -> int:
    return mails.reminders_replan(forum_id)


@shared_task(base=DurableTask, acks_late=True, name="forums.forum_cancelled")
def forum_cancelled(forum_id: int, registration_ids: list[int]) -> int:
    return mails.forum_cancelled_send(forum_id, registration_ids)


@shared_task(base=DurableTask, acks_late=True, name="forums.forum_rescheduled")
def forum_rescheduled(
    forum_id: int, registration_ids: list[int], old_starts_at: str, reason: str = ""
) -> int:
    return mails.forum_rescheduled_send(
        forum_id, registration_ids, datetime.fromisoformat(old_starts_at), reason
    )


@shared_task(base=DurableTask, acks_late=True, name="forums.forum_changed")
def forum_changed(
    forum_id: int, registration_ids: list[int], changes: list[dict], sequence: int
) -> int:
    return mails.forum_changed_send(forum_id, registration_ids, changes, sequence)


@shared_task(base=DurableTask, acks_late=True, name="forums.feedback_requests")
def feedback_requests(forum_id: int, registration_ids: list[int]) -> int:
    return mails.feedback_requests_send(forum_id, registration_ids)


@shared_task(acks_late=True, name="forums.audience_log_prune")
def audience_log_prune() -> int:
    """Beat, daily: the log of member table writes keeps its last hour; safe to run twice."""
    return services.audience_log_prune()
