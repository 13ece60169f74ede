"""When a project manager can hold workshops: weekly rules and exceptions."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from members.models import User

from ..models import (
    AvailabilityException,
    AvailabilityRule,
)
from .common import (
    WorkshopError,
    require_manager,
)


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
    require_manager(actor)
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
    require_manager(actor)
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
    require_manager(actor)
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
    require_manager(actor)
    if exception.project_manager_id != actor.pk:
        raise WorkshopError(_("You can only change your own availability."))
    exception.delete()
