"""The forums' mails, handed to the outbox: transactional mails and planned reminders.

Services call the `on_commit_*` functions inside their transaction; once it has committed, a
Celery task (forums.tasks) renders the mails and writes the outbox rows. So neither the forum
lock nor the person registering waits for rendering, and a rolled-back registration sends
nothing. The task is promised by a row written in the same transaction (outbox.intents): a
crash or an absent broker between commit and publish delays the mail, it does not lose it.
Withdrawing reminders is cheap and happens inside the service's own transaction.
Every mail is one outbox row, unique per (kind, registration, recipient, key), so a repeated
call is a no-op.

Reminders are outbox rows due at a time (N days before the start), planned when a registration
is confirmed, cancelled with it, and planned anew when the forum moves.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy

from members.identity import identity_for
from outbox.intents import durable_on_commit, unsaved_intent
from outbox.services import mail_build, mail_cancel_pending, mail_queue, mail_queue_many

from .ics import forum_ics
from .tokens import make_feedback_token, make_registration_token

log = logging.getLogger(__name__)

REMINDER_KIND = "forum_reminder"
# Registration state or event -> (outbox kind, template)
REGISTRATION_MAILS = {
    "confirmed": ("forum_registration_confirmed", "forums_registration_confirmed"),
    "waitlisted": ("forum_registration_waitlisted", "forums_registration_waitlisted"),
    "pending": ("forum_registration_pending", "forums_registration_pending"),
    "promoted": ("forum_registration_promoted", "forums_registration_promoted"),
    "cancelled": ("forum_registration_cancelled", "forums_registration_cancelled"),
    # A confirmed person moved to the waiting list by staff: the waiting-list mail, and a
    # CANCEL for the entry their calendar holds.
    "unseated": ("forum_registration_waitlisted", "forums_registration_waitlisted"),
}


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _registrations(pks):
    from .models import Registration

    return Registration.objects.filter(pk__in=pks).select_related(
        "forum", "forum__host_company", "contact", "company"
    )


def _manage_url(registration) -> str:
    """The personal link to see, renew or cancel one's registration."""
    token = make_registration_token(contact=registration.contact, forum=registration.forum)
    return _absolute(reverse("forums:token", args=[token]))


def _context(registration, **extra) -> dict:
    forum = registration.forum
    return {
        "registration": registration,
        "forum": forum,
        "contact": registration.contact,
        "starts_at": timezone.localtime(forum.starts_at),
        "ends_at": timezone.localtime(forum.ends_at),
        "location": forum.location_text,
        "forum_url": _absolute(reverse("forums:detail", args=[forum.pk])),
        "manage_url": _manage_url(registration),
        **extra,
    }


def _ics(registration, method: str) -> tuple[str, bytes, str]:
    with translation.override(registration.contact.language or "de"):
        content = forum_ics(
            registration.forum,
            method,
            attendee_email=registration.contact.email,
            attendee_name=registration.contact.full_name,
        )
    return ("metallforum.ics", content, "text/calendar")


def has_seat(registration) -> bool:
    """Whether the person holds a seat, so their calendar holds the forum (forums.calendar)."""
    return registration.state in registration.SEAT_STATES


def event_method(registration, event: str) -> str | None:
    """The iTIP method of the calendar file a registration mail carries, or None for none: a
    REQUEST only to someone holding a seat (never to a person waiting or awaiting approval),
    a CANCEL only to someone whose calendar got the entry. Read when the mail is rendered, so
    a state changed meanwhile counts."""
    if event in ("confirmed", "promoted"):
        return "REQUEST" if has_seat(registration) else None
    if event == "cancelled":
        # confirmed_at stays set when a seat is cancelled and is cleared when staff move
        # the person to the waiting list (who got a CANCEL then).
        return "CANCEL" if registration.confirmed_at else None
    if event == "unseated":
        return "CANCEL" if registration.state == registration.State.WAITLISTED else None
    return None


def _queue(registration, *, kind, template, key="", context=None, method=None, due_at=None):
    contact = registration.contact
    if not contact.email:
        log.info(
            "registration %s: contact has no e-mail address, mail %s skipped", registration.pk, kind
        )
        return None
    try:
        return mail_queue(
            kind=kind,
            related=registration,
            recipient_email=contact.email,
            contact=contact,
            language=contact.language or "de",
            template=template,
            context=context or _context(registration),
            attachments=[_ics(registration, method)] if method else (),
            due_at=due_at,
            key_suffix=key,
        )
    except ValidationError:
        log.warning("registration %s: mail %s not queued", registration.pk, kind, exc_info=True)
        return None


# --- registration mails ------------------------------------------------------------------


def registration_mail_send(registration_pk: int, event: str) -> None:
    """Queues the mail for a registration event (confirmed, waitlisted, promoted, ...)."""
    registration = _registrations([registration_pk]).first()
    if registration is None:
        return
    kind, template = REGISTRATION_MAILS[event]
    method = event_method(registration, event)
    # One mail per transition: the key is the time the state was entered.
    stamp = {
        "confirmed": registration.confirmed_at,
        "promoted": registration.confirmed_at,
        "waitlisted": registration.waitlisted_at,
        "unseated": registration.waitlisted_at,
        "cancelled": registration.cancelled_at,
    }.get(event) or registration.created_at
    _queue(
        registration,
        kind=kind,
        template=template,
        key=stamp.strftime("%Y%m%dT%H%M%S%f"),
        context=_context(registration, calendar_removed=method == "CANCEL"),
        method=method,
    )
    if event in ("confirmed", "promoted"):
        # Re-reads the state: a registration cancelled meanwhile gets no reminders.
        reminders_plan(registration)


def on_commit_registration_mail(registration_pk: int, event: str) -> None:
    """After commit, a worker renders and queues the mail (the request does not wait)."""
    from .tasks import registration_mail

    durable_on_commit(registration_mail, registration_pk, event)


def registration_mail_intent(registration_pk: int, event: str):
    """`on_commit_registration_mail` whose Intent row the caller writes (unsaved, for
    core.inserts.insert_together) in its transaction."""
    from .tasks import registration_mail

    return unsaved_intent(registration_mail, registration_pk, event)


# --- reminders ---------------------------------------------------------------------------


def reminder_due_times(forum) -> list[tuple[int, datetime]]:
    """(days, due time) for each reminder offset: N calendar days before, at the start's local
    time of day (so a reminder across a DST switch still comes at, say, 18:00 in Berlin)."""
    local_start = timezone.localtime(forum.starts_at).replace(tzinfo=None)
    return [
        (int(days), timezone.make_aware(local_start - timedelta(days=int(days))))
        for days in forum.reminder_days
    ]


def reminders_plan(registration, *, now: datetime | None = None) -> int:
    """Plans the reminders still ahead for a confirmed registration; returns how many."""
    from .models import Forum, Registration

    forum = registration.forum
    if registration.state != Registration.State.CONFIRMED or forum.state != Forum.State.PUBLISHED:
        return 0
    if not registration.contact.email:
        return 0
    now = now or timezone.now()
    planned = 0
    for days, due_at in reminder_due_times(forum):
        # Only reminders still ahead: a late registrant does not get "in 7 days" the day before.
        if due_at <= now:
            continue
        mail = _queue(
            registration,
            kind=REMINDER_KIND,
            template="forums_reminder",
            key=f"{days}d",
            context=_context(registration, days=days),
            method="REQUEST",
            due_at=due_at,
        )
        planned += mail is not None
    return planned


def reminders_cancel(registration) -> int:
    """Withdraws a registration's unsent reminders; services call it inside their transaction."""
    return mail_cancel_pending(related=registration, kind=REMINDER_KIND)


def reminders_replan(forum_pk: int, *, now: datetime | None = None) -> int:
    """After a move or a change of offsets: drop the forum's unsent reminders, plan them anew."""
    from .models import Registration

    confirmed = _registrations(
        Registration.objects.filter(
            forum_id=forum_pk, state=Registration.State.CONFIRMED
        ).values_list("pk", flat=True)
    )
    planned = 0
    for registration in confirmed:
        reminders_cancel(registration)
        planned += reminders_plan(registration, now=now)
    return planned


def on_commit_reminders_replan(forum_pk: int) -> None:
    from .tasks import reminders_replan as task

    durable_on_commit(task, forum_pk)


# --- forum-wide mails --------------------------------------------------------------------


def _bulk(
    forum_pk: int, registration_pks, *, kind, template, method, extra=None, sequence=None
) -> int:
    """Builds one mail per registration and queues them together (one insert). The calendar
    file (`method`) goes only to people holding a seat: the others get the mail alone."""
    rows = []
    registrations = list(_registrations(registration_pks))
    # One forum: one sender for all its mails, read once.
    identity = identity_for(registrations[0].forum.cluster_id) if registrations else None
    for registration in registrations:
        contact = registration.contact
        if not contact.email:
            continue
        calendar = has_seat(registration)
        try:
            rows.append(
                mail_build(
                    kind=kind,
                    related=registration,
                    recipient_email=contact.email,
                    contact=contact,
                    language=contact.language or "de",
                    template=template,
                    context=_context(registration, with_calendar=calendar, **(extra or {})),
                    attachments=[_ics(registration, method)] if calendar else (),
                    # One mail per revision of the forum (the one the task was queued for).
                    key_suffix=f"s{registration.forum.sequence if sequence is None else sequence}",
                    identity=identity,
                )
            )
        except ValidationError:
            log.warning(
                "forum %s: %s for registration %s not built", forum_pk, kind, registration.pk
            )
    due = mail_queue_many(mails=rows)
    _send_soon(due)
    return len(rows)


def _send_soon(mail_ids: list[int]) -> None:
    if not mail_ids:
        return
    from outbox.tasks import send_mails

    for start in range(0, len(mail_ids), 50):
        send_mails.delay(mail_ids[start : start + 50])


def forum_cancelled_send(forum_pk: int, registration_pks: list[int]) -> int:
    return _bulk(
        forum_pk,
        registration_pks,
        kind="forum_cancelled",
        template="forums_forum_cancelled",
        method="CANCEL",
    )


def on_commit_forum_cancelled(forum_pk: int, registration_pks: list[int]) -> None:
    from .tasks import forum_cancelled

    durable_on_commit(forum_cancelled, forum_pk, registration_pks)


def forum_rescheduled_send(
    forum_pk: int, registration_pks: list[int], old_starts_at: datetime, reason: str = ""
) -> int:
    return _bulk(
        forum_pk,
        registration_pks,
        kind="forum_rescheduled",
        template="forums_forum_rescheduled",
        method="REQUEST",
        extra={"old_starts_at": timezone.localtime(old_starts_at), "reason": reason},
    )


def change_lines(changes: list[dict]) -> list[dict]:
    """Each change with its old and new text as lines (an agenda has several)."""
    return [
        {**change, "old_lines": change["old"].splitlines(), "new_lines": change["new"].splitlines()}
        for change in changes
    ]


def changes_text(changes: list[dict]):
    """The changes as plain text for an edited mail text's `{{ changes_text }}`; rendered when
    the mail is, so in the recipient's language."""
    return lazy(render_to_string, str)("forums/emails/changes.txt", {"changes": changes})


def forum_changed_send(
    forum_pk: int, registration_pks: list[int], changes: list[dict], sequence: int
) -> int:
    """What changed in a published forum's title, place or agenda, with the updated entry."""
    return _bulk(
        forum_pk,
        registration_pks,
        kind="forum_changed",
        template="forums_forum_changed",
        method="REQUEST",
        extra={
            "changes": change_lines(changes),
            "changes_text": changes_text(change_lines(changes)),
        },
        sequence=sequence,
    )


def on_commit_forum_changed(forum_pk: int, registration_pks, changes, sequence: int) -> None:
    from .tasks import forum_changed

    durable_on_commit(forum_changed, forum_pk, registration_pks, changes, sequence)


def on_commit_forum_rescheduled(forum_pk, registration_pks, old_starts_at, reason="") -> None:
    from .tasks import forum_rescheduled

    durable_on_commit(
        forum_rescheduled, forum_pk, registration_pks, old_starts_at.isoformat(), reason
    )


# --- feedback ----------------------------------------------------------------------------


def feedback_requests_send(forum_pk: int, registration_pks: list[int]) -> int:
    sent = 0
    for registration in _registrations(registration_pks):
        token = make_feedback_token(contact=registration.contact, forum=registration.forum)
        feedback_url = _absolute(reverse("forums:feedback", args=[token]))
        sent += (
            _queue(
                registration,
                kind="forum_feedback_request",
                template="forums_feedback_request",
                context=_context(registration, feedback_url=feedback_url),
            )
            is not None
        )
    return sent


def on_commit_feedback_requests(forum_pk: int, registration_pks: list[int]) -> None:
    from .tasks import feedback_requests

    durable_on_commit(feedback_requests, forum_pk, registration_pks)
