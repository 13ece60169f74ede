"""The forums' mails: every kind declared once (the catalogue below), and the events that
queue them. Sample data: forums.mail_samples; invitations go in bulk (forums.invitations).

Services call the `on_commit_*` functions inside their transaction, promising a Celery task
(forums.tasks) by an intent row (outbox.intents); after the commit the task renders and queues
the mails, so no lock waits for rendering, a rolled-back registration sends nothing and an
absent broker delays a mail without losing it. Every mail is one outbox row, unique per (kind,
registration, recipient, key): a repeated call is a no-op. Reminders are rows due N days before
the start, planned when a registration is confirmed, withdrawn with it (inside the service's
transaction) and planned anew when the forum moves.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from members.identity import identity_for
from outbox.catalogue import MailKind, Recipient
from outbox.intents import durable_on_commit
from outbox.services import mail_build, mail_cancel_pending, mail_queue_many

from . import mail_samples
from .audience import FOLLOWUP, INVITATION
from .ics import forum_ics
from .tokens import make_feedback_token, make_registration_token

log = logging.getLogger(__name__)


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


def _context(registration, recipient=None, **extra) -> dict:
    """What every mail about a registration shows; its contact is the recipient."""
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


def _recipients(registration) -> list[Recipient]:
    return [Recipient.of_contact(registration.contact)]


def _calendar(registration, recipient: Recipient, method: str) -> tuple[str, bytes, str]:
    with translation.override(recipient.language):
        content = forum_ics(
            registration.forum,
            method,
            attendee_email=recipient.email,
            attendee_name=recipient.name,
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


def _registration_context(registration, recipient, *, event: str) -> dict:
    return _context(registration, calendar_removed=event_method(registration, event) == "CANCEL")


def _feedback_context(registration, recipient) -> dict:
    token = make_feedback_token(contact=registration.contact, forum=registration.forum)
    return _context(registration, feedback_url=_absolute(reverse("forums:feedback", args=[token])))


def _forum_wide_context(registration, recipient, **extra) -> dict:
    return _context(registration, with_calendar=has_seat(registration), **extra)


def _to_seated(method: str):
    """A forum-wide mail's calendar file goes only to people holding a seat."""
    return lambda registration, **extra: method if has_seat(registration) else None


# --- the catalogue -----------------------------------------------------------------------

# What staff may write into an edited forum mail (outbox.mailtexts): what every forum mail's
# context holds, and per kind what only its context adds.
_FORUM_PLACEHOLDERS = {
    "forum.title": _("Title of the forum"),
    "forum.description": _("Description of the forum"),
    "starts_at": _("Start (date and time)"),
    "starts_at.date": _("Day of the forum"),
    "starts_at.weekday": _("Weekday of the forum"),
    "starts_at.time": _("Start time"),
    "ends_at.time": _("End time"),
}
_PLACE_PLACEHOLDERS = {
    "location": _("Venue, as one line"),
    "forum_url": _("Link to the forum's page"),
}
PLACEHOLDERS = (
    {
        "contact.full_name": _("Name of the registered person"),
        "contact.first_name": _("First name of the registered person"),
        "contact.last_name": _("Last name of the registered person"),
    }
    | _FORUM_PLACEHOLDERS
    | _PLACE_PLACEHOLDERS
    | {"manage_url": _("Personal link to view or cancel the registration")}
)
INVITATION_PLACEHOLDERS = (
    {
        "contact.full_name": _("Name of the invited person"),
        "contact.first_name": _("First name of the invited person"),
        "contact.last_name": _("Last name of the invited person"),
    }
    | _FORUM_PLACEHOLDERS
    | {"closes_at": _("Registration closes (date and time)")}
    | _PLACE_PLACEHOLDERS
    | {"registration_url": _("Personal registration link (no login needed)")}
)


def _forum_mail(kind: str, label, template: str, *, placeholders=None, **builders) -> MailKind:
    """A mail about one registration, to its contact."""
    return MailKind(
        kind=kind,
        label=label,
        template=template,
        sample=mail_samples.registration_sample,
        placeholders=PLACEHOLDERS | (placeholders or {}),
        recipients=_recipients,
        calendar=_calendar,
        per_cluster=True,  # signed by the forum's cluster
        **builders,
    )


def _registration_mail(kind: str, label, template: str, **options) -> MailKind:
    return _forum_mail(
        kind, label, template, context=_registration_context, method=event_method, **options
    )


CONFIRMED = _registration_mail(
    "forum_registration_confirmed",
    _("Forum: registration confirmed"),
    "emails/forums_registration_confirmed",
)
WAITLISTED = _registration_mail(
    "forum_registration_waitlisted",
    _("Forum: on the waiting list"),
    "emails/forums_registration_waitlisted",
    placeholders={"registration.waitlist_position": _("Place on the waiting list")},
)
PENDING = _registration_mail(
    "forum_registration_pending",
    _("Forum: registration received, awaiting approval"),
    "emails/forums_registration_pending",
)
PROMOTED = _registration_mail(
    "forum_registration_promoted",
    _("Forum: seat from the waiting list"),
    "emails/forums_registration_promoted",
)
REGISTRATION_CANCELLED = _registration_mail(
    "forum_registration_cancelled",
    _("Forum: registration cancelled"),
    "emails/forums_registration_cancelled",
)
# Registration state or event -> its mail.
REGISTRATION_MAILS = {
    "confirmed": CONFIRMED,
    "waitlisted": WAITLISTED,
    "pending": PENDING,
    "promoted": PROMOTED,
    "cancelled": REGISTRATION_CANCELLED,
    # A confirmed person moved to the waiting list by staff: the waiting-list mail, and a
    # CANCEL for the entry their calendar holds.
    "unseated": WAITLISTED,
}
REMINDER = _forum_mail(
    "forum_reminder",
    _("Forum: reminder"),
    "emails/forums_reminder",
    placeholders={"days": _("Days until the forum")},
    context=_context,  # with the days until the forum
    method=lambda registration, **extra: "REQUEST",
)
RESCHEDULED = _forum_mail(
    "forum_rescheduled",
    _("Forum: new date"),
    "emails/forums_forum_rescheduled",
    placeholders={
        "old_starts_at": _("Previous start (date and time)"),
        "old_starts_at.date": _("Previous day"),
        "reason": _("Reason given for the change"),
    },
    context=_forum_wide_context,
    method=_to_seated("REQUEST"),
)
CHANGED = _forum_mail(
    "forum_changed",
    _("Forum: details changed"),
    "emails/forums_forum_changed",
    placeholders={"changes_text": _("What changed (before and now), as lines")},
    context=_forum_wide_context,
    method=_to_seated("REQUEST"),
)
FORUM_CANCELLED = _forum_mail(
    "forum_cancelled",
    _("Forum: cancelled"),
    "emails/forums_forum_cancelled",
    placeholders={"forum.cancel_reason": _("Reason for the cancellation")},
    context=_forum_wide_context,
    method=_to_seated("CANCEL"),
)
FEEDBACK_REQUEST = _forum_mail(
    "forum_feedback_request",
    _("Forum: request for feedback"),
    "emails/forums_feedback_request",
    placeholders={"feedback_url": _("Link to the feedback form")},
    context=_feedback_context,
)
# Sent in bulk by forums.invitations (one MailMerge per chunk), not through MailKind.queue.
INVITATION_MAIL = MailKind(
    kind=INVITATION,
    label=_("Forum invitation"),
    template="emails/forums_invitation",
    sample=mail_samples.invitation_sample,
    placeholders=INVITATION_PLACEHOLDERS,
    per_cluster=True,
)
FOLLOWUP_MAIL = MailKind(
    kind=FOLLOWUP,
    label=_("Forum invitation follow-up"),
    template="emails/forums_invitation_followup",
    sample=mail_samples.invitation_sample,
    placeholders=INVITATION_PLACEHOLDERS,
    per_cluster=True,
)
KINDS = (
    CONFIRMED,
    WAITLISTED,
    PENDING,
    PROMOTED,
    REGISTRATION_CANCELLED,
    REMINDER,
    RESCHEDULED,
    CHANGED,
    FORUM_CANCELLED,
    FEEDBACK_REQUEST,
    INVITATION_MAIL,
    FOLLOWUP_MAIL,
)


# --- registration mails ------------------------------------------------------------------


def registration_mail_send(registration_pk: int, event: str) -> None:
    """Queues the mail for a registration event (confirmed, waitlisted, promoted, ...)."""
    registration = _registrations([registration_pk]).first()
    if registration is None:
        return
    # One mail per transition: the key is the time the state was entered.
    stamp = {
        "confirmed": registration.confirmed_at,
        "promoted": registration.confirmed_at,
        "waitlisted": registration.waitlisted_at,
        "unseated": registration.waitlisted_at,
        "cancelled": registration.cancelled_at,
    }.get(event) or registration.created_at
    REGISTRATION_MAILS[event].queue(
        registration, key=stamp.strftime("%Y%m%dT%H%M%S%f"), event=event
    )
    if event in ("confirmed", "promoted"):
        # Re-reads the state: a registration cancelled meanwhile gets no reminders.
        reminders_plan(registration)


def on_commit_registration_mail(registration_pk: int, event: str) -> None:
    """After commit, a worker renders and queues the mail (the request does not wait)."""
    from .tasks import registration_mail

    durable_on_commit(registration_mail, registration_pk, event)


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
        planned += REMINDER.queue(registration, key=f"{days}d", due_at=due_at, days=days)
    return planned


def reminders_cancel(registration) -> int:
    """Withdraws a registration's unsent reminders; services call it inside their transaction."""
    return mail_cancel_pending(related=registration, kind=REMINDER.kind)


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


def _bulk(forum_pk: int, registration_pks, mail: MailKind, *, sequence=None, **extra) -> int:
    """Builds one mail per registration and queues them together (one insert). The calendar
    file goes only to people holding a seat (the kind's method): the others get the mail alone."""
    rows = []
    registrations = list(_registrations(registration_pks))
    # One forum: one sender for all its mails, read once.
    identity = identity_for(registrations[0].forum.cluster_id) if registrations else None
    for registration in registrations:
        # One mail per revision of the forum (the one the task was queued for).
        key = f"s{registration.forum.sequence if sequence is None else sequence}"
        for recipient in mail.recipients(registration):
            if not recipient.email:
                continue
            try:
                arguments = mail.arguments(registration, recipient, key=key, **extra)
                rows.append(mail_build(**arguments | {"identity": identity}))
            except ValidationError:
                log.warning("forum %s: %s for %s not built", forum_pk, mail.kind, registration.pk)
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
    return _bulk(forum_pk, registration_pks, FORUM_CANCELLED)


def on_commit_forum_cancelled(forum_pk: int, registration_pks: list[int]) -> None:
    from .tasks import forum_cancelled

    durable_on_commit(forum_cancelled, forum_pk, registration_pks)


def forum_rescheduled_send(
    forum_pk: int, registration_pks: list[int], old_starts_at: datetime, reason: str = ""
) -> int:
    return _bulk(
        forum_pk,
        registration_pks,
        RESCHEDULED,
        old_starts_at=timezone.localtime(old_starts_at),
        reason=reason,
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
        CHANGED,
        sequence=sequence,
        changes=change_lines(changes),
        changes_text=changes_text(change_lines(changes)),
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
    return sum(
        FEEDBACK_REQUEST.queue(registration) for registration in _registrations(registration_pks)
    )


def on_commit_feedback_requests(forum_pk: int, registration_pks: list[int]) -> None:
    from .tasks import feedback_requests

    durable_on_commit(feedback_requests, forum_pk, registration_pks)
