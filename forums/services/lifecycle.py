"""A forum's life: created, changed, published, cancelled, moved and closed."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit

from .. import calendar, mails
from ..audit import ForumAction, RegistrationAction
from ..models import FORUM_FIELDS, PAST_START_MESSAGE, AgendaItem, Forum
from .common import (
    State,
    lock_forum,
    promote,
)


def _clean_reminder_days(days) -> list[int]:
    return sorted({int(d) for d in days if int(d) > 0}, reverse=True)


@transaction.atomic
def forum_create(*, actor, topics=(), agenda: Iterable[dict] = (), **fields) -> Forum:
    """Creates a draft forum. `fields` are Forum fields (see FORUM_FIELDS)."""
    unknown = set(fields) - set(FORUM_FIELDS)
    if unknown:
        raise TypeError(f"unknown forum fields: {sorted(unknown)}")
    if "starts_at" in fields and fields["starts_at"] <= timezone.now():
        raise ValidationError({"starts_at": PAST_START_MESSAGE})
    if "reminder_days" in fields:
        fields["reminder_days"] = _clean_reminder_days(fields["reminder_days"])
    forum = Forum(created_by=actor if getattr(actor, "is_authenticated", False) else None, **fields)
    forum.full_clean(exclude=["topics"])
    audit.save_and_record(forum, actor=actor, action=ForumAction.CREATED)
    forum.topics.set(topics)
    AgendaItem.objects.bulk_create(AgendaItem(forum=forum, **item) for item in agenda)
    return forum


def forum_update(*, forum: Forum, actor, topics=None, agenda=None, **fields) -> Forum:
    """Changes a forum's details. Moving the date goes through forum_reschedule."""
    unknown = set(fields) - set(FORUM_FIELDS)
    if unknown:
        raise TypeError(f"unknown forum fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = lock_forum(forum.pk)
        if locked.state in (Forum.State.CANCELLED, Forum.State.HELD):
            raise ValidationError(_("A cancelled or held forum can no longer be changed."))
        moved = any(
            k in fields and fields[k] != getattr(locked, k) for k in ("starts_at", "ends_at")
        )
        if moved and locked.state != Forum.State.DRAFT:
            raise ValidationError(_("Use 'Reschedule' to move a published forum."))
        new_start = fields.get("starts_at", locked.starts_at)
        if new_start != locked.starts_at and new_start <= timezone.now():
            raise ValidationError({"starts_at": PAST_START_MESSAGE})
        if "reminder_days" in fields:
            fields["reminder_days"] = _clean_reminder_days(fields["reminder_days"])
        reminders_changed = (
            fields.get("reminder_days", locked.reminder_days) != locked.reminder_days
        )
        shown_before = calendar.calendar_snapshot(locked)
        before = audit.values(locked, fields)
        for key, value in fields.items():
            setattr(locked, key, value)
        locked.full_clean(exclude=["topics"])
        changed_before, changed_after = audit.changes(before, audit.values(locked, fields))
        audit.save_and_record(
            locked,
            actor=actor,
            action=ForumAction.CHANGED,
            before=changed_before,
            after=changed_after,
        )
        if topics is not None:
            locked.topics.set(topics)
        if agenda is not None:
            locked.agenda_items.all().delete()
            AgendaItem.objects.bulk_create(AgendaItem(forum=locked, **item) for item in agenda)
        if locked.state == Forum.State.PUBLISHED:
            # More seats or a higher company cap may let waiting people in.
            promote(locked, now=timezone.now())
            # How many people are told of the change, for the page that saved it.
            locked.informed_of_changes = calendar.forum_changed(locked, shown_before)
            # Planned reminders carry the entry as it was when they were planned.
            if reminders_changed or locked.informed_of_changes:
                mails.on_commit_reminders_replan(locked.pk)
    return locked


def forum_publish(*, forum: Forum, actor) -> Forum:
    with transaction.atomic():
        locked = lock_forum(forum.pk)
        if locked.state != Forum.State.DRAFT:
            raise ValidationError(_("Only a draft can be published."))
        if locked.has_ended():
            raise ValidationError(_("A forum in the past cannot be published."))
        locked.state = Forum.State.PUBLISHED
        locked.published_at = timezone.now()
        audit.save_and_record(
            locked,
            actor=actor,
            action=ForumAction.PUBLISHED,
            update_fields=["state", "published_at", "updated_at"],
        )
    return locked


def _informed_registrations(forum: Forum) -> list[int]:
    return list(
        forum.registrations.filter(
            state__in=(State.CONFIRMED, State.WAITLISTED, State.PENDING)
        ).values_list("pk", flat=True)
    )


def forum_cancel(*, forum: Forum, actor, reason: str = "") -> Forum:
    """Calls a forum off; everyone registered or waiting gets a cancellation with the .ics."""
    with transaction.atomic():
        locked = lock_forum(forum.pk)
        if locked.state in (Forum.State.CANCELLED, Forum.State.HELD):
            raise ValidationError(_("This forum cannot be cancelled any more."))
        was_published = locked.state == Forum.State.PUBLISHED
        locked.state = Forum.State.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = reason
        locked.sequence += 1  # calendars must drop the entry
        audit.save_and_record(
            locked,
            actor=actor,
            action=ForumAction.CANCELLED,
            update_fields=["state", "cancelled_at", "cancel_reason", "sequence", "updated_at"],
            reason=reason,
        )
        informed = _informed_registrations(locked)
        for registration in locked.registrations.filter(state=State.CONFIRMED):
            mails.reminders_cancel(registration)
        if was_published:
            mails.on_commit_forum_cancelled(locked.pk, informed)
    return locked


def forum_reschedule(
    *, forum: Forum, actor, starts_at: datetime, ends_at: datetime, reason: str = ""
) -> Forum:
    """Moves a forum; registrations stay, everyone gets the new date and an updated .ics."""
    if ends_at <= starts_at:
        raise ValidationError(_("The end must be after the start."))
    if starts_at <= timezone.now():
        raise ValidationError(_("The new date must be in the future."))
    with transaction.atomic():
        locked = lock_forum(forum.pk)
        if locked.state in (Forum.State.CANCELLED, Forum.State.HELD):
            raise ValidationError(_("A cancelled or held forum cannot be moved."))
        if (locked.starts_at, locked.ends_at) == (starts_at, ends_at):
            return locked
        old_starts_at = locked.starts_at
        before = audit.values(locked, ["starts_at", "ends_at"])
        shift = starts_at - old_starts_at
        locked.starts_at, locked.ends_at = starts_at, ends_at
        # Deadlines move with the forum so they keep their distance to it.
        if locked.registration_closes_at:
            locked.registration_closes_at += shift
        if locked.registration_opens_at:
            locked.registration_opens_at += shift
        locked.sequence += 1
        audit.save_and_record(
            locked,
            actor=actor,
            action=ForumAction.RESCHEDULED,
            before=before,
            after=audit.values(locked, ["starts_at", "ends_at"]),
            reason=reason,
        )
        if locked.state == Forum.State.PUBLISHED:
            mails.on_commit_forum_rescheduled(
                locked.pk, _informed_registrations(locked), old_starts_at, reason
            )
            mails.on_commit_reminders_replan(locked.pk)
    return locked


def forum_close(*, forum: Forum, actor, now=None) -> Forum:
    """After the forum: marks it held, unmarked confirmed people as no-shows, asks for feedback."""
    with transaction.atomic():
        locked = lock_forum(forum.pk)
        now = now or timezone.now()
        if locked.state != Forum.State.PUBLISHED:
            raise ValidationError(_("Only a published forum can be closed."))
        if not locked.has_ended(now):
            raise ValidationError(_("The forum has not ended yet."))
        locked.state = Forum.State.HELD
        audit.save_and_record(
            locked, actor=actor, action=ForumAction.CLOSED, update_fields=["state", "updated_at"]
        )
        confirmed = locked.registrations.filter(state=State.CONFIRMED).select_related("contact")
        for registration in confirmed:
            registration.forum = locked
            registration.mark_no_show()
            audit.save_and_record(
                registration,
                actor=actor,
                action=RegistrationAction.NO_SHOW,
                update_fields=["state", "updated_at"],
            )
        attended = list(
            locked.registrations.filter(state=State.ATTENDED).values_list("pk", flat=True)
        )
        mails.on_commit_feedback_requests(locked.pk, attended)
    return locked
