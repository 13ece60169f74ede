"""Time for a workshop: proposed slots, a company's choice, booking, moving and cancelling."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.roles import Role
from core.text import clean_text
from members.models import Contact, User
from outbox.intents import durable_on_commit

from .. import hooks, tasks
from ..audit import WorkshopAction
from ..models import (
    ProposedSlot,
    Workshop,
)
from .common import (
    MAX_SLOTS,
    MIN_SLOTS,
    State,
    WorkshopError,
    book,
    check_future,
    check_manager_free,
    end_of,
    has_role,
    lock_parties,
    lock_workshop,
    overlapping,
    require_manager,
    require_state,
    slot_gone,
)


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
    require_manager(actor)
    if not has_role(project_manager, Role.PROJECT_MANAGER):
        raise WorkshopError(_("Please choose a SEFEX project manager."), code="manager")
    now = now or timezone.now()
    workshop = lock_workshop(workshop.pk)
    require_state(workshop, State.REQUESTED, State.SLOTS_PROPOSED)
    starts = sorted(set(starts))
    if not MIN_SLOTS <= len(starts) <= MAX_SLOTS:
        raise WorkshopError(_("Please propose two or three different appointments."), code="count")
    hours = Decimal(duration_hours or workshop.duration_hours)
    for start in starts:
        check_future(start, now=now)
        check_manager_free(
            manager_id=project_manager.pk, starts_at=start, ends_at=end_of(start, hours)
        )
    for first, second in zip(starts, starts[1:], strict=False):
        if end_of(first, hours) > second:
            raise WorkshopError(_("The proposed appointments overlap each other."), code="overlap")
    foreign = [c for c in invite if c.company_id != workshop.company_id]
    if foreign:
        raise WorkshopError(_("Only contacts of the workshop's company can be invited."))
    workshop.slots.all().delete()
    slots = ProposedSlot.objects.bulk_create(
        ProposedSlot(workshop=workshop, starts_at=s, ends_at=end_of(s, hours)) for s in starts
    )
    workshop.project_manager = project_manager
    workshop.duration_hours = hours
    workshop.propose_slots()
    audit.save_and_record(
        workshop,
        actor=actor,
        action=WorkshopAction.SLOTS_PROPOSED,
        after={"state": workshop.state, "slots": [str(slot) for slot in slots]},
    )
    if invite:
        workshop.participants.add(*invite)
        durable_on_commit(tasks.slots_proposed_send, workshop.pk, [c.pk for c in invite])
    return slots


def record_booking(workshop: Workshop, *, actor, action, before: dict | None = None) -> None:
    after = audit.values(workshop, ["state", "starts_at", "ends_at", "project_manager"])
    audit.record(actor=actor, action=action, obj=workshop, before=before, after=after)


def _book_time(
    workshop: Workshop, *, starts_at: datetime, ends_at: datetime, manager_id: int, actor=None
):
    lock_parties(manager_id=manager_id, company_id=workshop.company_id)
    if (
        overlapping(starts_at=starts_at, ends_at=ends_at, exclude_pk=workshop.pk)
        .filter(Q(project_manager_id=manager_id) | Q(company_id=workshop.company_id))
        .exists()
    ):
        raise slot_gone()
    # Rules of other apps (e.g. de-minimis declaration and ceiling) may refuse the booking.
    hooks.run_booking_checks(workshop=workshop, starts_at=starts_at, ends_at=ends_at, actor=actor)
    workshop.project_manager_id = manager_id
    book(workshop, starts_at=starts_at, ends_at=ends_at)
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
    workshop = lock_workshop(workshop_id)
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
    require_state(workshop, State.SLOTS_PROPOSED)
    slot = ProposedSlot.objects.filter(pk=slot_id, workshop_id=workshop.pk).first()
    if slot is None:
        raise WorkshopError(_("This slot was not offered for this workshop."), code="foreign")
    check_future(slot.starts_at, now=now)
    workshop.schedule()
    audit.act_as(workshop, actor)
    _book_time(
        workshop,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        manager_id=workshop.project_manager_id,
        actor=actor,
    )
    record_booking(workshop, actor=actor, action=WorkshopAction.SLOT_CHOSEN)
    workshop.slots.all().delete()
    if contact is not None:
        workshop.participants.add(contact)
    durable_on_commit(tasks.booked_send, workshop.pk)
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
    require_manager(actor)
    if not has_role(project_manager, Role.PROJECT_MANAGER):
        raise WorkshopError(_("Please choose a SEFEX project manager."), code="manager")
    now = now or timezone.now()
    workshop = lock_workshop(workshop.pk)
    require_state(workshop, State.REQUESTED, State.SLOTS_PROPOSED)
    check_future(starts_at, now=now)
    hours = Decimal(duration_hours or workshop.duration_hours)
    ends_at = end_of(starts_at, hours)
    check_manager_free(
        manager_id=project_manager.pk, starts_at=starts_at, ends_at=ends_at, exclude_pk=workshop.pk
    )
    workshop.duration_hours = hours
    workshop.schedule()
    audit.act_as(workshop, actor)
    _book_time(
        workshop, starts_at=starts_at, ends_at=ends_at, manager_id=project_manager.pk, actor=actor
    )
    record_booking(workshop, actor=actor, action=WorkshopAction.SCHEDULED)
    workshop.slots.all().delete()
    durable_on_commit(tasks.booked_send, workshop.pk)
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
    require_manager(actor)
    now = now or timezone.now()
    workshop = lock_workshop(workshop.pk)
    require_state(workshop, State.SCHEDULED)
    check_future(starts_at, now=now)
    hours = Decimal(duration_hours or workshop.duration_hours)
    ends_at = end_of(starts_at, hours)
    if (starts_at, ends_at) == (workshop.starts_at, workshop.ends_at):
        return workshop
    check_manager_free(
        manager_id=workshop.project_manager_id,
        starts_at=starts_at,
        ends_at=ends_at,
        exclude_pk=workshop.pk,
    )
    workshop.duration_hours = hours
    workshop.move()
    before = audit.values(workshop, ["starts_at", "ends_at"])
    audit.act_as(workshop, actor)
    _book_time(
        workshop,
        starts_at=starts_at,
        ends_at=ends_at,
        manager_id=workshop.project_manager_id,
        actor=actor,
    )
    record_booking(workshop, actor=actor, action=WorkshopAction.MOVED, before=before)
    durable_on_commit(tasks.rescheduled_send, workshop.pk)
    return workshop


@transaction.atomic
def workshop_cancel(*, workshop: Workshop, actor, reason: str = "") -> Workshop:
    reason = clean_text(reason)
    workshop = lock_workshop(workshop.pk)
    if has_role(actor, Role.COMPANY_USER):
        # A company may withdraw its own request before an appointment is fixed.
        if actor.company_id != workshop.company_id:
            raise WorkshopError(_("This workshop belongs to another company."), code="foreign")
        require_state(workshop, *Workshop.OPEN_STATES)
    else:
        require_manager(actor)
    if not workshop.can_cancel():
        require_state(workshop, *Workshop.OPEN_STATES, State.SCHEDULED)
    was_booked = workshop.cancel(reason=reason)
    audit.save_and_record(workshop, actor=actor, action=WorkshopAction.CANCELLED, reason=reason)
    workshop.slots.all().delete()
    hooks.workshop_cancelled.send(
        sender=Workshop, workshop=workshop, actor=actor, was_booked=was_booked
    )
    durable_on_commit(tasks.cancelled_send, workshop.pk, was_booked)
    return workshop
