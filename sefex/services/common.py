"""What the SEFEX services share: errors, locks, checks and small helpers."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.roles import Role
from core.roles import has_role as role_held
from members.models import Company, User

from ..models import (
    Programme,
    Workshop,
)

State = Workshop.State
MIN_SLOTS, MAX_SLOTS = 2, 3


class WorkshopError(ValidationError):
    """A change the rules do not allow; the message is for the person who tried it."""


class SlotTaken(WorkshopError):
    pass


# --- helpers -----------------------------------------------------------------------------


def has_role(user, *roles) -> bool:
    # Seeds, tasks and token links act without a user.
    return user is not None and role_held(user, *roles)


def when_text(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def end_of(starts_at: datetime, hours: Decimal) -> datetime:
    return starts_at + timedelta(minutes=int(Decimal(hours) * 60))


def lock_workshop(pk: int) -> Workshop:
    return Workshop.objects.select_for_update(no_key=True).get(pk=pk)


def lock_parties(*, manager_id: int, company_id: int) -> None:
    # Always manager first, then company: a fixed order means no deadlock between two bookings.
    list(User.objects.select_for_update(no_key=True).filter(pk=manager_id).values_list("pk"))
    list(Company.objects.select_for_update(no_key=True).filter(pk=company_id).values_list("pk"))


def overlapping(*, starts_at, ends_at, exclude_pk=None):
    queryset = Workshop.objects.filter(
        state__in=Workshop.BOOKED_STATES, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset


def check_future(starts_at: datetime, *, now: datetime) -> None:
    if starts_at <= now:
        raise WorkshopError(
            _("The appointment %(when)s lies in the past. Please choose a later time.")
            % {"when": when_text(starts_at)},
            code="past",
        )


def check_manager_free(*, manager_id, starts_at, ends_at, exclude_pk=None) -> None:
    if (
        overlapping(starts_at=starts_at, ends_at=ends_at, exclude_pk=exclude_pk)
        .filter(project_manager_id=manager_id)
        .exists()
    ):
        raise SlotTaken(
            _("The project manager already has a workshop at %(when)s.")
            % {"when": when_text(starts_at)},
            code="manager_busy",
        )


def slot_gone() -> SlotTaken:
    return SlotTaken(
        _("Sorry, this slot has just been taken. Please choose another one."), code="slot_taken"
    )


def book(workshop: Workshop, *, starts_at: datetime, ends_at: datetime) -> None:
    """Saves the workshop with its new time (and the state the caller set); a database refusal
    (exclusion constraint) reads as 'slot gone'."""
    workshop.starts_at, workshop.ends_at = starts_at, ends_at
    try:
        with transaction.atomic():
            workshop.save()
    except IntegrityError as exc:
        raise slot_gone() from exc


def require_manager(user) -> None:
    if not has_role(user, Role.PROJECT_MANAGER):
        raise WorkshopError(_("Only a SEFEX project manager can do this."), code="role")


def require_state(workshop: Workshop, *states, message=None) -> None:
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


def require_documenting(workshop: Workshop, actor) -> Workshop:
    require_manager(actor)
    workshop = lock_workshop(workshop.pk)
    require_state(
        workshop,
        *Workshop.DOCUMENTING_STATES,
        message=_("Minutes can be written once the workshop has been held."),
    )
    return workshop
