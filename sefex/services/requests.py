"""Workshop requests: a company asks, staff adjust the request."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.roles import Role
from members.models import Company

from .. import hooks
from ..audit import WorkshopAction
from ..models import (
    Module,
    Workshop,
)
from .common import (
    State,
    WorkshopError,
    book,
    check_manager_free,
    end_of,
    has_role,
    lock_parties,
    lock_workshop,
    require_manager,
    require_state,
)


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
    audit.save_and_record(workshop, actor=actor, action=WorkshopAction.REQUESTED)
    return workshop


@transaction.atomic
def workshop_update(*, workshop: Workshop, actor, **fields) -> Workshop:
    """Place, duration, participants and consultants; the time changes only by (re)scheduling."""
    require_manager(actor)
    workshop = lock_workshop(workshop.pk)
    if workshop.state in (State.CANCELLED, State.CLOSED):
        require_state(workshop, State.REQUESTED)
    participants = fields.pop("participants", None)
    consultants = fields.pop("consultants", None)
    allowed = {"place", "place_detail", "online_url", "duration_hours", "project_manager"}
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(name)
        setattr(workshop, name, value)
    if workshop.is_booked and "duration_hours" in fields:
        # A longer workshop may run into another one: same checks as a booking.
        ends_at = end_of(workshop.starts_at, workshop.duration_hours)
        lock_parties(manager_id=workshop.project_manager_id, company_id=workshop.company_id)
        check_manager_free(
            manager_id=workshop.project_manager_id,
            starts_at=workshop.starts_at,
            ends_at=ends_at,
            exclude_pk=workshop.pk,
        )
        # Other hours change the aid granted at the booking: its rules check them again.
        hooks.run_booking_checks(
            workshop=workshop, starts_at=workshop.starts_at, ends_at=ends_at, actor=actor
        )
        book(workshop, starts_at=workshop.starts_at, ends_at=ends_at)
        hooks.workshop_booked.send(sender=Workshop, workshop=workshop, actor=actor)
    audit.save_and_record(
        workshop, actor=actor, action=WorkshopAction.CHANGED, after=audit.values(workshop, fields)
    )
    if participants is not None:
        foreign = [c for c in participants if c.company_id != workshop.company_id]
        if foreign:
            raise WorkshopError(_("Participants must be contacts of the workshop's company."))
        workshop.participants.set(participants)
    if consultants is not None:
        workshop.consultants.set(consultants)
    return workshop
