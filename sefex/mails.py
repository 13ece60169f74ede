"""SEFEX mails, handed to the outbox (one row per mail, sent once by Celery).

Services promise these mails inside their transaction (`sefex.tasks`, durable intents); a worker
writes the rows after the commit, so a rolled-back booking sends nothing, no lock is held while
mails render, and a lost publish only delays a mail. Every mail has a unique
(kind, object, recipient, key): a repeated call is a no-op.

- slots proposed: to invited contacts, with their personal link to choose a slot
- confirmation (with .ics REQUEST) and a reminder due two days before the start
- rescheduled (.ics REQUEST, higher SEQUENCE) and cancelled (.ics CANCEL); unsent reminders
  are cancelled and planned anew
- follow-up after "held", asking for feedback (personal link)
- action item due: a row due on the morning of the due date, to the item's owner
"""

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from outbox.services import mail_cancel_pending, mail_queue

from .ics import workshop_ics
from .tokens import make_feedback_token, make_slot_token

log = logging.getLogger(__name__)
BERLIN = ZoneInfo("Europe/Berlin")
REMINDER_DAYS_BEFORE = 2
ACTION_REMINDER_TIME = time(8, 0)

KIND_PROPOSED = "sefex_slots_proposed"
KIND_CONFIRMED = "sefex_confirmation"
KIND_REMINDER = "sefex_reminder"
KIND_RESCHEDULED = "sefex_rescheduled"
KIND_CANCELLED = "sefex_cancelled"
KIND_FOLLOWUP = "sefex_followup"
KIND_ACTION_DUE = "sefex_action_due"


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str = "de"
    contact: object = None


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _workshop(pk: int):
    from .models import Workshop

    return (
        Workshop.objects.select_related("company", "module", "project_manager", "requested_by")
        .prefetch_related("participants")
        .filter(pk=pk)
        .first()
    )


def recipients(workshop) -> list[Recipient]:
    """The company's participants (or, if none is named yet, who asked) and the project manager."""
    people = [
        Recipient(c.email.lower(), c.full_name, c.language or "de", c)
        for c in workshop.participants.all()
        if c.email
    ]
    if not people and workshop.requested_by and workshop.requested_by.email:
        user = workshop.requested_by
        people.append(Recipient(user.email.lower(), user.get_full_name() or user.email))
    manager = workshop.project_manager
    if manager and manager.email and manager.email.lower() not in {p.email for p in people}:
        people.append(Recipient(manager.email.lower(), manager.get_full_name() or manager.email))
    return people


def _context(workshop, recipient: Recipient, **extra) -> dict:
    return {
        "workshop": workshop,
        "name": recipient.name,
        "starts_at": timezone.localtime(workshop.starts_at) if workshop.starts_at else None,
        "ends_at": timezone.localtime(workshop.ends_at) if workshop.ends_at else None,
        "place": workshop.place_text,
        "manager": workshop.project_manager,
        "workshop_url": absolute(reverse("sefex:detail", args=[workshop.pk])),
        **extra,
    }


def _queue(
    workshop,
    recipient: Recipient,
    *,
    kind,
    template,
    key="",
    context,
    method=None,
    due_at=None,
    related=None,
):
    attachments = ()
    if method:
        ics = workshop_ics(workshop, method, attendees=[(recipient.email, recipient.name)])
        attachments = [("workshop.ics", ics, f"text/calendar; method={method}")]
    try:
        return mail_queue(
            kind=kind,
            related=related or workshop,
            recipient_email=recipient.email,
            contact=recipient.contact,
            language=recipient.language,
            template=template,
            context=context,
            attachments=attachments,
            due_at=due_at,
            key_suffix=key,
            scope=workshop.company,
        )
    except ValidationError:
        log.warning("workshop %s: mail %s not queued", workshop.pk, kind, exc_info=True)
        return None


def _stamp(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M")


# --- events -----------------------------------------------------------------------------


def slots_proposed_send(workshop_pk: int, contact_pks: list[int]) -> int:
    from members.models import Contact

    workshop = _workshop(workshop_pk)
    if workshop is None:
        return 0
    slots = list(workshop.slots.all())
    if not slots:
        return 0
    key = _stamp(max(s.created_at for s in slots)) + "".join(str(s.pk) for s in slots)[:20]
    sent = 0
    for contact in Contact.objects.filter(pk__in=contact_pks, company_id=workshop.company_id):
        if not contact.email:
            continue
        token = make_slot_token(
            contact=contact, workshop=workshop, expires_at=max(s.starts_at for s in slots)
        )
        recipient = Recipient(contact.email.lower(), contact.full_name, contact.language, contact)
        context = _context(
            workshop,
            recipient,
            slots=[timezone.localtime(s.starts_at) for s in slots],
            choose_url=absolute(reverse("sefex:token", args=[token])),
        )
        sent += (
            _queue(
                workshop,
                recipient,
                kind=KIND_PROPOSED,
                template="sefex_slots_proposed",
                key=key,
                context=context,
            )
            is not None
        )
    return sent


def booked_send(workshop_pk: int) -> int:
    """Confirmation with .ics for everyone, and the reminder two days before."""
    workshop = _workshop(workshop_pk)
    if workshop is None or workshop.state != workshop.State.SCHEDULED:
        return 0
    sent = 0
    for recipient in recipients(workshop):
        sent += (
            _queue(
                workshop,
                recipient,
                kind=KIND_CONFIRMED,
                template="sefex_confirmation",
                key=f"s{workshop.sequence}",
                context=_context(workshop, recipient),
                method="REQUEST",
            )
            is not None
        )
    reminders_plan(workshop)
    return sent


def reminders_plan(workshop, *, now: datetime | None = None) -> int:
    due_at = workshop.starts_at - timedelta(days=REMINDER_DAYS_BEFORE)
    if due_at <= (now or timezone.now()):
        return 0  # booked less than two days ahead: the confirmation is the reminder
    planned = 0
    for recipient in recipients(workshop):
        planned += (
            _queue(
                workshop,
                recipient,
                kind=KIND_REMINDER,
                template="sefex_reminder",
                key=_stamp(workshop.starts_at),
                context=_context(workshop, recipient),
                method="REQUEST",
                due_at=due_at,
            )
            is not None
        )
    return planned


def rescheduled_send(workshop_pk: int) -> int:
    workshop = _workshop(workshop_pk)
    if workshop is None:
        return 0
    mail_cancel_pending(related=workshop, kind=KIND_REMINDER)
    sent = 0
    for recipient in recipients(workshop):
        sent += (
            _queue(
                workshop,
                recipient,
                kind=KIND_RESCHEDULED,
                template="sefex_rescheduled",
                key=f"s{workshop.sequence}",
                context=_context(workshop, recipient),
                method="REQUEST",
            )
            is not None
        )
    reminders_plan(workshop)
    return sent


def cancelled_send(workshop_pk: int, was_booked: bool) -> int:
    workshop = _workshop(workshop_pk)
    if workshop is None:
        return 0
    mail_cancel_pending(related=workshop, kind=KIND_REMINDER)
    mail_cancel_pending(related=workshop, kind=KIND_PROPOSED)
    sent = 0
    for recipient in recipients(workshop):
        sent += (
            _queue(
                workshop,
                recipient,
                kind=KIND_CANCELLED,
                template="sefex_cancelled",
                key=f"s{workshop.sequence}",
                context=_context(workshop, recipient),
                method="CANCEL" if was_booked else None,
            )
            is not None
        )
    return sent


def followup_send(workshop_pk: int) -> int:
    workshop = _workshop(workshop_pk)
    if workshop is None:
        return 0
    sent = 0
    for contact in workshop.participants.all():
        if not contact.email:
            continue
        token = make_feedback_token(contact=contact, workshop=workshop)
        recipient = Recipient(contact.email.lower(), contact.full_name, contact.language, contact)
        context = _context(
            workshop, recipient, feedback_url=absolute(reverse("sefex:feedback", args=[token]))
        )
        sent += (
            _queue(
                workshop, recipient, kind=KIND_FOLLOWUP, template="sefex_followup", context=context
            )
            is not None
        )
    return sent


def action_due_at(item) -> datetime:
    return datetime.combine(item.due_on, ACTION_REMINDER_TIME, tzinfo=BERLIN)


def action_reminder_plan(item_pk: int) -> int:
    """Drops the item's unsent reminder and plans one for its (new) due date, if still open."""
    from .models import ActionItem

    item = (
        ActionItem.objects.select_related(
            "workshop__company", "workshop__module", "workshop__project_manager", "owner"
        )
        .filter(pk=item_pk)
        .first()
    )
    if item is None:
        return 0
    mail_cancel_pending(related=item, kind=KIND_ACTION_DUE)
    owner = item.owner
    if item.state != ActionItem.State.OPEN or not item.due_on or not owner or not owner.email:
        return 0
    workshop = item.workshop
    recipient = Recipient(owner.email.lower(), owner.full_name, owner.language, owner)
    context = _context(workshop, recipient, item=item, items_url=absolute(reverse("sefex:portal")))
    mail = _queue(
        workshop,
        recipient,
        kind=KIND_ACTION_DUE,
        template="sefex_action_due",
        key=item.due_on.isoformat(),
        context=context,
        due_at=action_due_at(item),
        related=item,
    )
    return int(mail is not None)
