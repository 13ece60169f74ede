"""After the workshop: held, minutes, assessment, release and action items."""

from datetime import date, datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import audit
from core.roles import Role
from members.models import Contact
from outbox.intents import durable_on_commit

from .. import hooks, tasks
from ..audit import ActionItemAction, WorkshopAction
from ..models import (
    ActionItem,
    Finding,
    MaturityAssessment,
    Workshop,
)
from .common import (
    State,
    WorkshopError,
    has_role,
    lock_workshop,
    require_documenting,
    require_manager,
    require_state,
)


@transaction.atomic
def workshop_mark_held(*, workshop: Workshop, actor, now: datetime | None = None) -> Workshop:
    require_manager(actor)
    now = now or timezone.now()
    workshop = lock_workshop(workshop.pk)
    require_state(workshop, State.SCHEDULED)
    if workshop.starts_at > now:
        raise WorkshopError(
            _("A workshop can be marked as held only once it has started."), code="future"
        )
    workshop.mark_held()
    audit.save_and_record(workshop, actor=actor, action=WorkshopAction.HELD)
    # Inside the transaction: a funding record written by a receiver commits with the state.
    hooks.workshop_held.send(sender=Workshop, workshop=workshop, actor=actor)
    durable_on_commit(tasks.followup_send, workshop.pk)
    return workshop


def minutes_recorded(workshop: Workshop) -> bool:
    """What came out of the workshop is written down: a summary or a finding (the agenda alone
    only says what was planned)."""
    return bool(workshop.summary.strip()) or workshop.findings.exists()


@transaction.atomic
def workshop_document(*, workshop: Workshop, actor) -> Workshop:
    """Releases the minutes to the company."""
    require_manager(actor)
    workshop = lock_workshop(workshop.pk)
    require_state(workshop, State.HELD)
    if not minutes_recorded(workshop):
        raise WorkshopError(
            _(
                "The minutes are empty. Please record a summary or the situation and goals of "
                "the module before releasing them."
            ),
            code="empty",
        )
    workshop.release_minutes()
    audit.save_and_record(workshop, actor=actor, action=WorkshopAction.MINUTES_RELEASED)
    return workshop


@transaction.atomic
def workshop_close(*, workshop: Workshop, actor) -> Workshop:
    require_manager(actor)
    workshop = lock_workshop(workshop.pk)
    require_state(workshop, State.DOCUMENTED)
    workshop.close()
    audit.save_and_record(workshop, actor=actor, action=WorkshopAction.CLOSED)
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
    workshop = require_documenting(workshop, actor)
    workshop.agenda, workshop.summary = agenda.strip(), summary.strip()
    audit.save_and_record(workshop, actor=actor, action=WorkshopAction.MINUTES_SAVED)
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
    workshop = require_documenting(workshop, actor)
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
    workshop = require_documenting(workshop, actor)
    _check_owner(workshop, owner)
    check_due_on(workshop, due_on)
    item = ActionItem(workshop=workshop, title=title.strip(), owner=owner, due_on=due_on)
    audit.save_and_record(item, actor=actor, action=ActionItemAction.CREATED)
    durable_on_commit(tasks.action_reminder_plan, item.pk)
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
    require_manager(actor)
    item = ActionItem.objects.select_for_update().select_related("workshop").get(pk=item.pk)
    _check_owner(item.workshop, owner)
    if due_on != item.due_on:
        check_due_on(item.workshop, due_on)
    item.title, item.owner, item.due_on = title.strip(), owner, due_on
    if state != item.state:
        item.state = state
        item.done_at = timezone.now() if state == ActionItem.State.DONE else None
        item.done_by = actor if state == ActionItem.State.DONE else None
    audit.save_and_record(item, actor=actor, action=ActionItemAction.CHANGED)
    durable_on_commit(tasks.action_reminder_plan, item.pk)
    return item


@transaction.atomic
def action_item_mark_done(*, item: ActionItem, actor, done: bool = True) -> ActionItem:
    """The company (own items only) or the project manager ticks an item off, or reopens it."""
    item = ActionItem.objects.select_for_update().select_related("workshop").get(pk=item.pk)
    if has_role(actor, Role.COMPANY_USER):
        if actor.company_id != item.workshop.company_id:
            raise WorkshopError(_("This action item belongs to another company."), code="foreign")
    else:
        require_manager(actor)
    if item.state == ActionItem.State.DROPPED:
        raise WorkshopError(_("This action item has been dropped."), code="dropped")
    item.state = ActionItem.State.DONE if done else ActionItem.State.OPEN
    item.done_at = timezone.now() if done else None
    item.done_by = actor if done else None
    action = ActionItemAction.DONE if done else ActionItemAction.REOPENED
    audit.save_and_record(item, actor=actor, action=action)
    durable_on_commit(tasks.action_reminder_plan, item.pk)
    return item
