"""SEFEX mails: every kind declared once (the catalogue below), and the events that queue them
through the outbox (one row per mail, sent once by Celery).

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

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outbox.catalogue import MailKind, Recipient
from outbox.services import mail_cancel_pending

from .ics import workshop_ics
from .tokens import make_feedback_token, make_slot_token

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


def _person(contact) -> Recipient:
    return Recipient(contact.email.lower(), contact.full_name, contact.language, contact)


def recipients(workshop) -> list[Recipient]:
    """The company's participants (or, if none is named yet, who asked) and the project manager."""
    people = [_person(c) for c in workshop.participants.all() if c.email]
    if not people and workshop.requested_by and workshop.requested_by.email:
        user = workshop.requested_by
        people.append(Recipient(user.email.lower(), user.get_full_name() or user.email))
    manager = workshop.project_manager
    if manager and manager.email and manager.email.lower() not in {p.email for p in people}:
        people.append(Recipient(manager.email.lower(), manager.get_full_name() or manager.email))
    return people


def _participants(workshop) -> list[Recipient]:
    return [_person(c) for c in workshop.participants.all()]


def _owner(item) -> list[Recipient]:
    return [_person(item.owner)] if item.owner else []


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


def _proposal_context(workshop, recipient: Recipient, *, slots) -> dict:
    token = make_slot_token(
        contact=recipient.contact, workshop=workshop, expires_at=max(s.starts_at for s in slots)
    )
    return _context(
        workshop,
        recipient,
        slots=[timezone.localtime(s.starts_at) for s in slots],
        choose_url=absolute(reverse("sefex:token", args=[token])),
    )


def _followup_context(workshop, recipient: Recipient) -> dict:
    token = make_feedback_token(contact=recipient.contact, workshop=workshop)
    return _context(
        workshop, recipient, feedback_url=absolute(reverse("sefex:feedback", args=[token]))
    )


def _action_context(item, recipient: Recipient) -> dict:
    items_url = absolute(reverse("sefex:portal"))
    return _context(item.workshop, recipient, item=item, items_url=items_url)


def _calendar(workshop, recipient: Recipient, method: str) -> tuple[str, bytes, str]:
    ics = workshop_ics(workshop, method, attendees=[(recipient.email, recipient.name)])
    return ("workshop.ics", ics, f"text/calendar; method={method}")


def _request(workshop, **extra) -> str:
    return "REQUEST"


def _cancel_if_booked(workshop, *, was_booked: bool) -> str | None:
    return "CANCEL" if was_booked else None


def sample_context() -> dict:
    """Every key any SEFEX mail template uses; nothing is saved."""
    from members.models import Company, Contact, User

    from .models import ActionItem, Module, Programme, Workshop

    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    start += timedelta(days=9)
    programme = Programme(
        name="SEFEX", funding_start=date(2025, 1, 1), funding_end=date(2027, 12, 31)
    )
    company = Company(
        legal_name="Alpha Präzisionstechnik GmbH", short_name="Alpha", city="Heilbronn"
    )
    manager = User(email="projektleitung@example.org", first_name="Paula", last_name="Plan")
    workshop = Workshop(
        programme=programme,
        company=company,
        module=Module(programme=programme, name="Expansion"),
        project_manager=manager,
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        place=Workshop.Place.COMPANY,
        place_detail="Hafenstraße 1, 74076 Heilbronn",
        cancel_reason="Krankheit",
    )
    contact = Contact(company=company, first_name="Anna", last_name="Alpha")
    site = settings.SITE_URL.rstrip("/")
    return {
        "workshop": workshop,
        "name": contact.full_name,
        "starts_at": start,
        "ends_at": workshop.ends_at,
        "place": workshop.place_text,
        "manager": manager,
        "workshop_url": f"{site}/sefex/workshops/1/",
        "slots": [start, start + timedelta(days=1), start + timedelta(days=7)],
        "choose_url": f"{site}/sefex/link/sample/",
        "feedback_url": f"{site}/sefex/feedback/sample/",
        "item": ActionItem(
            workshop=workshop, title="ABC-Analyse der Kunden", owner=contact, due_on=start.date()
        ),
        "items_url": f"{site}/sefex/",
    }


def _workshop_mail(kind: str, label, template: str, **builders) -> MailKind:
    """A mail about a workshop, the company's (its scope)."""
    return MailKind(
        kind=kind,
        label=label,
        template=template,
        sample=sample_context,
        calendar=_calendar,
        scope=lambda workshop: workshop.company,
        **builders,
    )


# --- the catalogue -----------------------------------------------------------------------

# To the contacts staff chose (the event names them), each with a personal link.
PROPOSED = _workshop_mail(
    KIND_PROPOSED,
    _("SEFEX: choose an appointment"),
    "emails/sefex_slots_proposed",
    context=_proposal_context,
)
CONFIRMED = _workshop_mail(
    KIND_CONFIRMED,
    _("SEFEX: booking confirmation"),
    "emails/sefex_confirmation",
    recipients=recipients,
    context=_context,
    method=_request,
)
REMINDER = _workshop_mail(
    KIND_REMINDER,
    _("SEFEX: reminder two days before"),
    "emails/sefex_reminder",
    recipients=recipients,
    context=_context,
    method=_request,
)
RESCHEDULED = _workshop_mail(
    KIND_RESCHEDULED,
    _("SEFEX: workshop moved"),
    "emails/sefex_rescheduled",
    recipients=recipients,
    context=_context,
    method=_request,
)
CANCELLED = _workshop_mail(
    KIND_CANCELLED,
    _("SEFEX: workshop cancelled"),
    "emails/sefex_cancelled",
    recipients=recipients,
    context=lambda workshop, recipient, was_booked: _context(workshop, recipient),
    method=_cancel_if_booked,
)
FOLLOWUP = _workshop_mail(
    KIND_FOLLOWUP,
    _("SEFEX: feedback after the workshop"),
    "emails/sefex_followup",
    recipients=_participants,
    context=_followup_context,
)
# About the action item (its related object), to its owner.
ACTION_DUE = MailKind(
    kind=KIND_ACTION_DUE,
    label=_("SEFEX: action item due"),
    template="emails/sefex_action_due",
    sample=sample_context,
    recipients=_owner,
    context=_action_context,
    scope=lambda item: item.workshop.company,
)
KINDS = (PROPOSED, CONFIRMED, REMINDER, RESCHEDULED, CANCELLED, FOLLOWUP, ACTION_DUE)


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
    contacts = Contact.objects.filter(pk__in=contact_pks, company_id=workshop.company_id)
    people = [_person(contact) for contact in contacts if contact.email]
    return PROPOSED.queue(workshop, key=key, recipients=people, slots=slots)


def booked_send(workshop_pk: int) -> int:
    """Confirmation with .ics for everyone, and the reminder two days before."""
    workshop = _workshop(workshop_pk)
    if workshop is None or workshop.state != workshop.State.SCHEDULED:
        return 0
    sent = CONFIRMED.queue(workshop, key=f"s{workshop.sequence}")
    reminders_plan(workshop)
    return sent


def reminders_plan(workshop, *, now: datetime | None = None) -> int:
    due_at = workshop.starts_at - timedelta(days=REMINDER_DAYS_BEFORE)
    if due_at <= (now or timezone.now()):
        return 0  # booked less than two days ahead: the confirmation is the reminder
    return REMINDER.queue(workshop, key=_stamp(workshop.starts_at), due_at=due_at)


def rescheduled_send(workshop_pk: int) -> int:
    workshop = _workshop(workshop_pk)
    if workshop is None:
        return 0
    mail_cancel_pending(related=workshop, kind=REMINDER.kind)
    sent = RESCHEDULED.queue(workshop, key=f"s{workshop.sequence}")
    reminders_plan(workshop)
    return sent


def cancelled_send(workshop_pk: int, was_booked: bool) -> int:
    workshop = _workshop(workshop_pk)
    if workshop is None:
        return 0
    mail_cancel_pending(related=workshop, kind=REMINDER.kind)
    mail_cancel_pending(related=workshop, kind=PROPOSED.kind)
    return CANCELLED.queue(workshop, key=f"s{workshop.sequence}", was_booked=was_booked)


def followup_send(workshop_pk: int) -> int:
    workshop = _workshop(workshop_pk)
    if workshop is None:
        return 0
    return FOLLOWUP.queue(workshop)


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
    mail_cancel_pending(related=item, kind=ACTION_DUE.kind)
    owner = item.owner
    if item.state != ActionItem.State.OPEN or not item.due_on or not owner or not owner.email:
        return 0
    return ACTION_DUE.queue(item, key=item.due_on.isoformat(), due_at=action_due_at(item))
