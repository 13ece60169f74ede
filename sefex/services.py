"""Writes of the SEFEX app: one transaction each, keyword-only.

Booking time is the scarce resource. Every write that gives a workshop a time locks the project
manager's user row and the company's row first (SELECT ... FOR NO KEY UPDATE, in that order, so
two bookings cannot deadlock), then checks for overlaps and writes. Concurrent bookings for the
same manager or company queue at those locks; the second one sees the first one's workshop and
is refused with a clear message. Behind that, PostgreSQL's exclusion constraints (migration 0002)
refuse any overlapping row however it is written; an IntegrityError from them is turned into the
same message.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from members.models import Company, Contact, User
from metalldialog.roles import Role
from metalldialog.roles import has_role as _has_role
from metalldialog.text import clean_text

from . import hooks, mails
from .models import (
    ActionItem,
    Attachment,
    AvailabilityException,
    AvailabilityRule,
    Feedback,
    Finding,
    MaturityAssessment,
    Module,
    Programme,
    ProposedSlot,
    Workshop,
)
from .uploads import check_upload

State = Workshop.State
MIN_SLOTS, MAX_SLOTS = 2, 3


class WorkshopError(ValidationError):
    """A change the rules do not allow; the message is for the person who tried it."""


class SlotTaken(WorkshopError):
    pass


# --- helpers -----------------------------------------------------------------------------


def has_role(user, *roles) -> bool:
    # Seeds, tasks and token links act without a user.
    return user is not None and _has_role(user, *roles)


def _set_history_user(obj, actor) -> None:
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor


def _when(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _end(starts_at: datetime, hours: Decimal) -> datetime:
    return starts_at + timedelta(minutes=int(Decimal(hours) * 60))


def _lock_workshop(pk: int) -> Workshop:
    return Workshop.objects.select_for_update(no_key=True).get(pk=pk)


def _lock_parties(*, manager_id: int, company_id: int) -> None:
    # Always manager first, then company: a fixed order means no deadlock between two bookings.
    list(User.objects.select_for_update(no_key=True).filter(pk=manager_id).values_list("pk"))
    list(Company.objects.select_for_update(no_key=True).filter(pk=company_id).values_list("pk"))


def _overlapping(*, starts_at, ends_at, exclude_pk=None):
    queryset = Workshop.objects.filter(
        state__in=Workshop.BOOKED_STATES, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset


def _check_future(starts_at: datetime, *, now: datetime) -> None:
    if starts_at <= now:
        raise WorkshopError(
            _("The appointment %(when)s lies in the past. Please choose a later time.")
            % {"when": _when(starts_at)},
            code="past",
        )


def _check_manager_free(*, manager_id, starts_at, ends_at, exclude_pk=None) -> None:
    if (
        _overlapping(starts_at=starts_at, ends_at=ends_at, exclude_pk=exclude_pk)
        .filter(project_manager_id=manager_id)
        .exists()
    ):
        raise SlotTaken(
            _("The project manager already has a workshop at %(when)s.")
            % {"when": _when(starts_at)},
            code="manager_busy",
        )


def _slot_gone() -> SlotTaken:
    return SlotTaken(
        _("Sorry, this slot has just been taken. Please choose another one."), code="slot_taken"
    )


def _book(workshop: Workshop, *, starts_at: datetime, ends_at: datetime) -> None:
    """Saves the workshop with its new time (and the state the caller set); a database refusal
    (exclusion constraint) reads as 'slot gone'."""
    workshop.starts_at, workshop.ends_at = starts_at, ends_at
    try:
        with transaction.atomic():
            workshop.save()
    except IntegrityError as exc:
        raise _slot_gone() from exc


def _require_manager(user) -> None:
    if not has_role(user, Role.PROJECT_MANAGER):
        raise WorkshopError(_("Only a SEFEX project manager can do this."), code="role")


def _require_state(workshop: Workshop, *states, message=None) -> None:
    if workshop.state not in states:
        if workshop.state == State.CANCELLED:
            raise WorkshopError(_("This workshop has been cancelled."), code="cancelled")
        raise WorkshopError(
            message
            or _("This is not possible while the workshop is %(state)s.")
            % {"state": workshop.get_state_display()},
            code="state",
        )


def programme_current(*, today: date | None = None) -> Programme | None:
    today = today or timezone.localdate()
    base = Programme.objects.filter(is_active=True)
    return (
        base.filter(funding_start__lte=today, funding_end__gte=today).first()
        or base.order_by("-funding_start").first()
    )


# --- requests ----------------------------------------------------------------------------


@transaction.atomic
def workshop_request(
    *,
    actor,
    company: Company,
    module: Module,
    preferred_from: date | None = None,
    preferred_until: date | None = None,
    note: str = "",
    today: date | None = None,
) -> Workshop:
    """A company asks for a workshop (from the portal, or staff on its behalf)."""
    today = today or timezone.localdate()
    if has_role(actor, Role.COMPANY_USER) and actor.company_id != company.pk:
        raise WorkshopError(_("You can only request workshops for your own company."))
    if not module.is_active or not module.programme.is_active:
        raise WorkshopError(_("This module is not offered at the moment."), code="module")
    if preferred_from and preferred_from < today:
        raise WorkshopError(_("The preferred period cannot start in the past."), code="past")
    if preferred_from and preferred_until and preferred_until < preferred_from:
        raise WorkshopError(_("The preferred period ends before it starts."), code="period")
    workshop = Workshop(
        programme=module.programme,
        company=company,
        module=module,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        preferred_from=preferred_from,
        preferred_until=preferred_until,
        request_note=note.strip(),
        duration_hours=module.programme.default_duration_hours,
    )
    _set_history_user(workshop, actor)
    workshop.save()
    return workshop


@transaction.atomic
def workshop_update(*, workshop: Workshop, actor, **fields) -> Workshop:
    """Place, duration, participants and consultants; the time changes only by (re)scheduling."""
    _require_manager(actor)
    workshop = _lock_workshop(workshop.pk)
    if workshop.state in (State.CANCELLED, State.CLOSED):
        _require_state(workshop, State.REQUESTED)
    participants = fields.pop("participants", None)
    consultants = fields.pop("consultants", None)
    allowed = {"place", "place_detail", "online_url", "duration_hours", "project_manager"}
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(name)
        setattr(workshop, name, value)
    if workshop.is_booked and "duration_hours" in fields:
        # A longer workshop may run into another one: same checks as a booking.
        ends_at = _end(workshop.starts_at, workshop.duration_hours)
        _lock_parties(manager_id=workshop.project_manager_id, company_id=workshop.company_id)
        _check_manager_free(
            manager_id=workshop.project_manager_id,
            starts_at=workshop.starts_at,
            ends_at=ends_at,
            exclude_pk=workshop.pk,
        )
        # Other hours change the aid granted at the booking: its rules check them again.
        hooks.run_booking_checks(
            workshop=workshop, starts_at=workshop.starts_at, ends_at=ends_at, actor=actor
        )
        _book(workshop, starts_at=workshop.starts_at, ends_at=ends_at)
        hooks.workshop_booked.send(sender=Workshop, workshop=workshop, actor=actor)
    _set_history_user(workshop, actor)
    workshop.save()
    if participants is not None:
        foreign = [c for c in participants if c.company_id != workshop.company_id]
        if foreign:
            raise WorkshopError(_("Participants must be contacts of the workshop's company."))
        workshop.participants.set(participants)
    if consultants is not None:
        workshop.consultants.set(consultants)
    return workshop


# --- slots and booking -------------------------------------------------------------------


@transaction.atomic
def slots_propose(
    *,
    workshop: Workshop,
    actor,
    project_manager: User,
    starts: list[datetime],
    duration_hours: Decimal | None = None,
    invite: list[Contact] | tuple = (),
    now: datetime | None = None,
) -> list[ProposedSlot]:
    """Offers two or three appointments; replaces earlier proposals; invites contacts by link."""
    _require_manager(actor)
    if not has_role(project_manager, Role.PROJECT_MANAGER):
        raise WorkshopError(_("Please choose a SEFEX project manager."), code="manager")
    now = now or timezone.now()
    workshop = _lock_workshop(workshop.pk)
    _require_state(workshop, State.REQUESTED, State.SLOTS_PROPOSED)
    starts = sorted(set(starts))
    if not MIN_SLOTS <= len(starts) <= MAX_SLOTS:
        raise WorkshopError(_("Please propose two or three different appointments."), code="count")
    hours = Decimal(duration_hours or workshop.duration_hours)
    for start in starts:
        _check_future(start, now=now)
        _check_manager_free(
            manager_id=project_manager.pk, starts_at=start, ends_at=_end(start, hours)
        )
    for first, second in zip(starts, starts[1:], strict=False):
        if _end(first, hours) > second:
            raise WorkshopError(_("The proposed appointments overlap each other."), code="overlap")
    foreign = [c for c in invite if c.company_id != workshop.company_id]
    if foreign:
        raise WorkshopError(_("Only contacts of the workshop's company can be invited."))
    workshop.slots.all().delete()
    slots = ProposedSlot.objects.bulk_create(
        ProposedSlot(workshop=workshop, starts_at=s, ends_at=_end(s, hours)) for s in starts
    )
    workshop.project_manager = project_manager
    workshop.duration_hours = hours
    workshop.state = State.SLOTS_PROPOSED
    _set_history_user(workshop, actor)
    workshop.save()
    if invite:
        workshop.participants.add(*invite)
        mails.on_commit(mails.slots_proposed_send, workshop.pk, [c.pk for c in invite])
    return slots


def _book_time(
    workshop: Workshop, *, starts_at: datetime, ends_at: datetime, manager_id: int, actor=None
):
    _lock_parties(manager_id=manager_id, company_id=workshop.company_id)
    if (
        _overlapping(starts_at=starts_at, ends_at=ends_at, exclude_pk=workshop.pk)
        .filter(Q(project_manager_id=manager_id) | Q(company_id=workshop.company_id))
        .exists()
    ):
        raise _slot_gone()
    # Rules of other apps (e.g. de-minimis declaration and ceiling) may refuse the booking.
    hooks.run_booking_checks(workshop=workshop, starts_at=starts_at, ends_at=ends_at, actor=actor)
    workshop.project_manager_id = manager_id
    _book(workshop, starts_at=starts_at, ends_at=ends_at)
    hooks.workshop_booked.send(sender=Workshop, workshop=workshop, actor=actor)


@transaction.atomic
def slot_choose(
    *,
    slot_id: int,
    workshop_id: int,
    actor=None,
    contact: Contact | None = None,
    now: datetime | None = None,
) -> Workshop:
    """A company user or an invited contact picks one of the proposed slots.

    `workshop_id` is the workshop the person may act on (their own company's, or the one in
    their link): a slot of any other workshop is refused.
    """
    now = now or timezone.now()
    workshop = _lock_workshop(workshop_id)
    if actor is not None and has_role(actor, Role.COMPANY_USER):
        if actor.company_id != workshop.company_id:
            raise WorkshopError(_("This workshop belongs to another company."), code="foreign")
    elif contact is not None:
        if contact.company_id != workshop.company_id:
            raise WorkshopError(
                _("This link belongs to another company's workshop."), code="foreign"
            )
    elif not has_role(actor, Role.PROJECT_MANAGER):
        raise WorkshopError(_("You cannot choose a slot for this workshop."), code="role")
    if workshop.state in Workshop.BOOKED_STATES:
        raise WorkshopError(
            _("An appointment has already been chosen for this workshop."), code="booked"
        )
    _require_state(workshop, State.SLOTS_PROPOSED)
    slot = ProposedSlot.objects.filter(pk=slot_id, workshop_id=workshop.pk).first()
    if slot is None:
        raise WorkshopError(_("This slot was not offered for this workshop."), code="foreign")
    _check_future(slot.starts_at, now=now)
    workshop.state = State.SCHEDULED
    _set_history_user(workshop, actor)
    _book_time(
        workshop,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        manager_id=workshop.project_manager_id,
        actor=actor,
    )
    workshop.slots.all().delete()
    if contact is not None:
        workshop.participants.add(contact)
    mails.on_commit(mails.booked_send, workshop.pk)
    return workshop


@transaction.atomic
def workshop_schedule(
    *,
    workshop: Workshop,
    actor,
    project_manager: User,
    starts_at: datetime,
    duration_hours: Decimal | None = None,
    now: datetime | None = None,
) -> Workshop:
    """The project manager books a time directly (e.g. agreed on the phone)."""
    _require_manager(actor)
    if not has_role(project_manager, Role.PROJECT_MANAGER):
        raise WorkshopError(_("Please choose a SEFEX project manager."), code="manager")
    now = now or timezone.now()
    workshop = _lock_workshop(workshop.pk)
    _require_state(workshop, State.REQUESTED, State.SLOTS_PROPOSED)
    _check_future(starts_at, now=now)
    hours = Decimal(duration_hours or workshop.duration_hours)
    ends_at = _end(starts_at, hours)
    _check_manager_free(
        manager_id=project_manager.pk, starts_at=starts_at, ends_at=ends_at, exclude_pk=workshop.pk
    )
    workshop.duration_hours = hours
    workshop.state = State.SCHEDULED
    _set_history_user(workshop, actor)
    _book_time(
        workshop, starts_at=starts_at, ends_at=ends_at, manager_id=project_manager.pk, actor=actor
    )
    workshop.slots.all().delete()
    mails.on_commit(mails.booked_send, workshop.pk)
    return workshop


@transaction.atomic
def workshop_reschedule(
    *,
    workshop: Workshop,
    actor,
    starts_at: datetime,
    duration_hours: Decimal | None = None,
    now: datetime | None = None,
) -> Workshop:
    _require_manager(actor)
    now = now or timezone.now()
    workshop = _lock_workshop(workshop.pk)
    _require_state(workshop, State.SCHEDULED)
    _check_future(starts_at, now=now)
    hours = Decimal(duration_hours or workshop.duration_hours)
    ends_at = _end(starts_at, hours)
    if (starts_at, ends_at) == (workshop.starts_at, workshop.ends_at):
        return workshop
    _check_manager_free(
        manager_id=workshop.project_manager_id,
        starts_at=starts_at,
        ends_at=ends_at,
        exclude_pk=workshop.pk,
    )
    workshop.duration_hours = hours
    workshop.sequence += 1
    _set_history_user(workshop, actor)
    _book_time(
        workshop,
        starts_at=starts_at,
        ends_at=ends_at,
        manager_id=workshop.project_manager_id,
        actor=actor,
    )
    mails.on_commit(mails.rescheduled_send, workshop.pk)
    return workshop


@transaction.atomic
def workshop_cancel(*, workshop: Workshop, actor, reason: str = "") -> Workshop:
    reason = clean_text(reason)
    workshop = _lock_workshop(workshop.pk)
    if has_role(actor, Role.COMPANY_USER):
        # A company may withdraw its own request before an appointment is fixed.
        if actor.company_id != workshop.company_id:
            raise WorkshopError(_("This workshop belongs to another company."), code="foreign")
        _require_state(workshop, *Workshop.OPEN_STATES)
    else:
        _require_manager(actor)
    if not workshop.can_cancel():
        _require_state(workshop, *Workshop.OPEN_STATES, State.SCHEDULED)
    was_booked = workshop.state == State.SCHEDULED
    workshop.state = State.CANCELLED
    workshop.cancelled_at = timezone.now()
    workshop.cancel_reason = reason
    if was_booked:
        workshop.sequence += 1
    _set_history_user(workshop, actor)
    workshop.save()
    workshop.slots.all().delete()
    hooks.workshop_cancelled.send(
        sender=Workshop, workshop=workshop, actor=actor, was_booked=was_booked
    )
    mails.on_commit(mails.cancelled_send, workshop.pk, was_booked)
    return workshop


# --- after the workshop ------------------------------------------------------------------


@transaction.atomic
def workshop_mark_held(*, workshop: Workshop, actor, now: datetime | None = None) -> Workshop:
    _require_manager(actor)
    now = now or timezone.now()
    workshop = _lock_workshop(workshop.pk)
    _require_state(workshop, State.SCHEDULED)
    if workshop.starts_at > now:
        raise WorkshopError(
            _("A workshop can be marked as held only once it has started."), code="future"
        )
    workshop.state = State.HELD
    workshop.held_on = timezone.localdate(workshop.starts_at)
    _set_history_user(workshop, actor)
    workshop.save()
    # Inside the transaction: a funding record written by a receiver commits with the state.
    hooks.workshop_held.send(sender=Workshop, workshop=workshop, actor=actor)
    mails.on_commit(mails.followup_send, workshop.pk)
    return workshop


def minutes_recorded(workshop: Workshop) -> bool:
    """What came out of the workshop is written down: a summary or a finding (the agenda alone
    only says what was planned)."""
    return bool(workshop.summary.strip()) or workshop.findings.exists()


@transaction.atomic
def workshop_document(*, workshop: Workshop, actor) -> Workshop:
    """Releases the minutes to the company."""
    _require_manager(actor)
    workshop = _lock_workshop(workshop.pk)
    _require_state(workshop, State.HELD)
    if not minutes_recorded(workshop):
        raise WorkshopError(
            _(
                "The minutes are empty. Please record a summary or the situation and goals of "
                "the module before releasing them."
            ),
            code="empty",
        )
    workshop.state = State.DOCUMENTED
    workshop.documented_at = timezone.now()
    _set_history_user(workshop, actor)
    workshop.save()
    return workshop


@transaction.atomic
def workshop_close(*, workshop: Workshop, actor) -> Workshop:
    _require_manager(actor)
    workshop = _lock_workshop(workshop.pk)
    _require_state(workshop, State.DOCUMENTED)
    workshop.state = State.CLOSED
    workshop.closed_at = timezone.now()
    _set_history_user(workshop, actor)
    workshop.save()
    return workshop


def _require_documenting(workshop: Workshop, actor) -> Workshop:
    _require_manager(actor)
    workshop = _lock_workshop(workshop.pk)
    _require_state(
        workshop,
        *Workshop.DOCUMENTING_STATES,
        message=_("Minutes can be written once the workshop has been held."),
    )
    return workshop


@transaction.atomic
def minutes_save(
    *,
    workshop: Workshop,
    actor,
    agenda: str,
    summary: str = "",
    findings: dict[int, tuple[str, str]] | None = None,
) -> Workshop:
    """Agenda, summary and the findings {module id: (situation, goals)} of the workshop's own
    module (the one it was about); empty findings are removed."""
    workshop = _require_documenting(workshop, actor)
    workshop.agenda, workshop.summary = agenda.strip(), summary.strip()
    _set_history_user(workshop, actor)
    workshop.save()
    for module_id, (situation, goals) in (findings or {}).items():
        if module_id != workshop.module_id:
            raise WorkshopError(
                _("The minutes record the findings of the module the workshop was about."),
                code="module",
            )
        module = workshop.module
        if situation.strip() or goals.strip():
            Finding.objects.update_or_create(
                workshop=workshop,
                module=module,
                defaults={"situation": situation.strip(), "goals": goals.strip()},
            )
        else:
            Finding.objects.filter(workshop=workshop, module=module).delete()
    return workshop


@transaction.atomic
def assessment_save(*, workshop: Workshop, actor, note: str = "", **scores) -> MaturityAssessment:
    workshop = _require_documenting(workshop, actor)
    if set(scores) != set(MaturityAssessment.DIMENSIONS):
        raise TypeError("all five dimensions are required")
    for value in scores.values():
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise WorkshopError(_("Each score must be between 1 and 5."), code="score")
    assessment, _created = MaturityAssessment.objects.update_or_create(
        workshop=workshop, defaults={**scores, "note": note.strip()}
    )
    return assessment


# --- action items ------------------------------------------------------------------------


def _check_owner(workshop: Workshop, owner: Contact | None) -> None:
    if owner is not None and owner.company_id != workshop.company_id:
        raise WorkshopError(_("The owner must be a contact of the workshop's company."))


def check_due_on(workshop: Workshop, due_on: date | None) -> None:
    """An action item agreed in a workshop cannot fall due before the workshop took place."""
    held_on = workshop.held_on or (workshop.starts_at and timezone.localdate(workshop.starts_at))
    if due_on is not None and held_on and due_on < held_on:
        raise WorkshopError(
            _(
                "The due date %(due)s lies before the workshop of %(held)s. Please choose the "
                "workshop day or a later date."
            )
            % {
                "due": formats.date_format(due_on, "SHORT_DATE_FORMAT"),
                "held": formats.date_format(held_on, "SHORT_DATE_FORMAT"),
            },
            code="due_before_workshop",
        )


@transaction.atomic
def action_item_create(
    *,
    workshop: Workshop,
    actor,
    title: str,
    owner: Contact | None = None,
    due_on: date | None = None,
) -> ActionItem:
    workshop = _require_documenting(workshop, actor)
    _check_owner(workshop, owner)
    check_due_on(workshop, due_on)
    item = ActionItem(workshop=workshop, title=title.strip(), owner=owner, due_on=due_on)
    _set_history_user(item, actor)
    item.save()
    mails.on_commit(mails.action_reminder_plan, item.pk)
    return item


@transaction.atomic
def action_item_update(
    *,
    item: ActionItem,
    actor,
    title: str,
    owner: Contact | None,
    due_on: date | None,
    state: str,
) -> ActionItem:
    _require_manager(actor)
    item = ActionItem.objects.select_for_update().select_related("workshop").get(pk=item.pk)
    _check_owner(item.workshop, owner)
    if due_on != item.due_on:
        check_due_on(item.workshop, due_on)
    item.title, item.owner, item.due_on = title.strip(), owner, due_on
    if state != item.state:
        item.state = state
        item.done_at = timezone.now() if state == ActionItem.State.DONE else None
        item.done_by = actor if state == ActionItem.State.DONE else None
    _set_history_user(item, actor)
    item.save()
    mails.on_commit(mails.action_reminder_plan, item.pk)
    return item


@transaction.atomic
def action_item_mark_done(*, item: ActionItem, actor, done: bool = True) -> ActionItem:
    """The company (own items only) or the project manager ticks an item off, or reopens it."""
    item = ActionItem.objects.select_for_update().select_related("workshop").get(pk=item.pk)
    if has_role(actor, Role.COMPANY_USER):
        if actor.company_id != item.workshop.company_id:
            raise WorkshopError(_("This action item belongs to another company."), code="foreign")
    else:
        _require_manager(actor)
    if item.state == ActionItem.State.DROPPED:
        raise WorkshopError(_("This action item has been dropped."), code="dropped")
    item.state = ActionItem.State.DONE if done else ActionItem.State.OPEN
    item.done_at = timezone.now() if done else None
    item.done_by = actor if done else None
    _set_history_user(item, actor)
    item.save()
    mails.on_commit(mails.action_reminder_plan, item.pk)
    return item


# --- attachments -------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, workshop: Workshop, actor, upload) -> Attachment:
    """Stores an upload after checking its size and type; a refused file writes nothing."""
    workshop = _require_documenting(workshop, actor)
    content_type = check_upload(upload)
    name = (upload.name or "file").replace("/", "_").replace("\\", "_")[-200:]
    attachment = Attachment(
        workshop=workshop,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    stored = attachment.file.name
    # If the row cannot be written, the stored file must not stay behind.
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor) -> None:
    _require_documenting(attachment.workshop, actor)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- availability ------------------------------------------------------------------------


@transaction.atomic
def availability_rule_add(
    *,
    project_manager: User,
    actor,
    weekday: int,
    start_time,
    end_time,
    valid_from: date,
    valid_until: date | None = None,
) -> AvailabilityRule:
    """A weekly slot; it may not overlap another of the same manager on the same weekday."""
    _require_manager(actor)
    if end_time <= start_time:
        raise WorkshopError(_("The end must be after the start."), code="times")
    if valid_until and valid_until < valid_from:
        raise WorkshopError(_("The validity ends before it starts."), code="period")
    # Serialise rule changes of one manager so two parallel additions cannot both pass the check.
    list(User.objects.select_for_update(no_key=True).filter(pk=project_manager.pk).values("pk"))
    clash = AvailabilityRule.objects.filter(
        project_manager=project_manager,
        weekday=weekday,
        start_time__lt=end_time,
        end_time__gt=start_time,
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
    if valid_until:
        clash = clash.filter(valid_from__lte=valid_until)
    if clash.exists():
        raise WorkshopError(
            _("This time overlaps an availability you have already entered for this weekday."),
            code="overlap",
        )
    return AvailabilityRule.objects.create(
        project_manager=project_manager,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        valid_from=valid_from,
        valid_until=valid_until,
    )


@transaction.atomic
def availability_rule_delete(*, rule: AvailabilityRule, actor) -> None:
    _require_manager(actor)
    if rule.project_manager_id != actor.pk:
        raise WorkshopError(_("You can only change your own availability."))
    rule.delete()


@transaction.atomic
def availability_exception_add(
    *,
    project_manager: User,
    actor,
    day: date,
    start_time=None,
    end_time=None,
    note: str = "",
) -> AvailabilityException:
    _require_manager(actor)
    if (start_time is None) != (end_time is None):
        raise WorkshopError(_("Please give both start and end, or neither for the whole day."))
    if start_time is not None and end_time <= start_time:
        raise WorkshopError(_("The end must be after the start."), code="times")
    return AvailabilityException.objects.create(
        project_manager=project_manager,
        date=day,
        start_time=start_time,
        end_time=end_time,
        note=note.strip(),
    )


@transaction.atomic
def availability_exception_delete(*, exception: AvailabilityException, actor) -> None:
    _require_manager(actor)
    if exception.project_manager_id != actor.pk:
        raise WorkshopError(_("You can only change your own availability."))
    exception.delete()


# --- feedback ----------------------------------------------------------------------------


@transaction.atomic
def feedback_submit(*, workshop_id: int, contact: Contact, rating: int, comment: str = ""):
    workshop = Workshop.objects.get(pk=workshop_id)
    if contact.company_id != workshop.company_id:
        raise WorkshopError(_("This link belongs to another company's workshop."), code="foreign")
    if workshop.state not in (State.HELD, State.DOCUMENTED, State.CLOSED):
        raise WorkshopError(_("Feedback is possible once the workshop has been held."))
    if not 1 <= int(rating) <= 5:
        raise WorkshopError(_("Each score must be between 1 and 5."), code="score")
    feedback, _created = Feedback.objects.update_or_create(
        workshop=workshop,
        contact=contact,
        defaults={"rating": int(rating), "comment": comment.strip()},
    )
    return feedback
