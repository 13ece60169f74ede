"""Registrations: take a seat or a place on the waiting list, cancel, confirm, approve, move,
and check in at the door."""

from datetime import datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import audit
from core.roles import Role, has_role
from members.models import Contact

from .. import calendar, mails
from ..audit import RegistrationAction
from ..models import Forum, Registration
from .common import (
    RegistrationError,
    State,
    check_actor_may_register,
    check_open,
    lock_forum,
    lock_forum_with_snapshot,
    needs_approval,
    promote,
    put_on_waitlist,
    seat_counts,
    seat_decision,
    seat_write,
)


def registration_create(
    *,
    forum: Forum,
    contact: Contact,
    source: str = Registration.Source.PORTAL,
    actor=None,
    note: str = "",
    now: datetime | None = None,
) -> Registration:
    """Registers `contact` for `forum`: confirmed if a seat fits, else on the waiting list.

    `actor` is the logged-in user (None for a token link, which has already proven the contact).
    Raises RegistrationError with a message for the person; nothing is written then.
    """
    staff = check_actor_may_register(actor, contact)
    # The forum's dates are checked before the lock (an early, clear answer); under the lock
    # what others can change meanwhile: the forum's state and the seats. Whether the company
    # may register (member, partner) is read with the seats: one round trip fewer.
    check_open(forum, now=now or timezone.now(), staff=staff)
    today = None if staff else timezone.localdate(now or timezone.now())
    registration = Registration(
        forum=forum,
        contact=contact,
        company_id=contact.company_id,
        source=source,
        registered_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )
    audit.act_as(registration, actor)
    with transaction.atomic():
        locked, snapshot = lock_forum_with_snapshot(
            forum.pk, company_id=contact.company_id, contact_id=contact.pk, today=today
        )
        now = now or timezone.now()
        check_open(locked, now=now, staff=staff)
        pending = not staff and needs_approval(
            locked, contact.company_id, now=now, kinds=snapshot["kinds"]
        )
        if snapshot["already"]:
            raise RegistrationError(
                _("%(name)s is already registered for this forum.") % {"name": contact.full_name},
                code="duplicate",
            )
        # Its id is known now, so the registration and the rows that name it go to the
        # database in one round trip (seat_write).
        registration.pk = snapshot["next_id"]
        registration.forum = locked
        registration.created_at = now
        if pending:
            registration.await_approval()
        elif snapshot["taken"] < locked.capacity and snapshot["mine"] < locked.seats_per_company:
            registration.confirm(now=now)
        else:
            registration.put_on_waitlist(position=(snapshot["top"] or 0) + 1, now=now)
        # The company's seats as decided here, for the answer to the person (forums.outcomes).
        registration.company_seats_seen = snapshot["mine"] + int(registration.holds_seat)
        seat_write(registration, actor=actor, action=RegistrationAction.CREATED)
        if registration.state == State.CONFIRMED and snapshot["earlier"]:
            calendar.revise(locked)  # their calendar may hold a CANCEL of this forum
    return registration


def registration_cancel(*, registration: Registration, actor=None, now=None) -> Registration:
    """Withdraws a registration and gives its seat to the first waiting person who fits."""
    with transaction.atomic():
        forum = lock_forum(registration.forum_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.forum = forum
        now = now or timezone.now()
        staff = actor is not None and has_role(actor, Role.CLUSTER_MANAGER)
        if registration.state == State.CANCELLED:
            return registration  # a second click changes nothing
        if not registration.can_cancel(now) and not (
            staff and registration.state in (State.CONFIRMED, State.WAITLISTED, State.PENDING)
        ):
            raise RegistrationError(
                _("This registration can no longer be cancelled."), code="not_cancellable"
            )
        held_seat = registration.holds_seat
        registration.cancel(now=now)
        audit.save_and_record(
            registration,
            actor=actor,
            action=RegistrationAction.CANCELLED,
            update_fields=["state", "waitlist_position", "cancelled_at", "updated_at"],
        )
        mails.reminders_cancel(registration)
        if held_seat:
            calendar.revise(forum)  # the CANCEL to their calendar
        mails.on_commit_registration_mail(registration.pk, "cancelled")
        if held_seat and forum.state == Forum.State.PUBLISHED:
            promote(forum, now=now)
    return registration


def registration_confirm(*, registration: Registration, actor, now=None) -> Registration:
    """Staff give a waiting or pending person a seat; capacity and company cap still apply."""
    with transaction.atomic():
        forum = lock_forum(registration.forum_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        now = now or timezone.now()
        if registration.state not in (State.WAITLISTED, State.PENDING):
            raise RegistrationError(_("Only waiting or pending registrations can be confirmed."))
        taken, per_company = seat_counts(forum)
        if taken >= forum.capacity:
            raise RegistrationError(
                _("The forum is full. Raise the number of seats or cancel a registration first.")
            )
        if per_company.get(registration.company_id, 0) >= forum.seats_per_company:
            raise RegistrationError(_("This company has used all its seats for this forum."))
        registration.confirm(now=now)
        audit.save_and_record(
            registration,
            actor=actor,
            action=RegistrationAction.CONFIRMED,
            update_fields=["state", "waitlist_position", "confirmed_at", "updated_at"],
        )
        calendar.revise(forum)  # a person moved off a seat before has had a CANCEL
        mails.on_commit_registration_mail(registration.pk, "confirmed")
    return registration


def registration_approve(*, registration: Registration, actor, now=None) -> Registration:
    """Staff accept a pending request: a seat if one fits, else the waiting list."""
    with transaction.atomic():
        forum = lock_forum(registration.forum_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        now = now or timezone.now()
        if registration.state != State.PENDING:
            raise RegistrationError(_("This registration is not awaiting approval."))
        if seat_decision(forum, registration.company_id) == State.CONFIRMED:
            registration.confirm(now=now)
        else:
            put_on_waitlist(registration, forum, now)
        audit.save_and_record(registration, actor=actor, action=RegistrationAction.APPROVED)
        mails.on_commit_registration_mail(registration.pk, registration.state)
    return registration


def registration_move_to_waitlist(*, registration: Registration, actor, now=None) -> Registration:
    """Staff move a confirmed person to the end of the waiting list; the seat goes on."""
    with transaction.atomic():
        forum = lock_forum(registration.forum_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        now = now or timezone.now()
        if registration.state != State.CONFIRMED:
            raise RegistrationError(
                _("Only confirmed registrations can be moved to the waiting list.")
            )
        put_on_waitlist(registration, forum, now)
        audit.save_and_record(registration, actor=actor, action=RegistrationAction.UNSEATED)
        mails.reminders_cancel(registration)
        calendar.revise(forum)  # the CANCEL to their calendar
        mails.on_commit_registration_mail(registration.pk, "unseated")
        promote(forum, now=now, exclude=[registration.pk])
    return registration


def registration_waitlist_shift(*, registration: Registration, actor, up: bool) -> Registration:
    """Swaps a waiting person with the neighbour before (up) or after them."""
    with transaction.atomic():
        forum = lock_forum(registration.forum_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.state != State.WAITLISTED:
            raise RegistrationError(_("This person is not on the waiting list."))
        neighbours = Registration.objects.filter(forum=forum, state=State.WAITLISTED)
        if up:
            neighbour = (
                neighbours.filter(waitlist_position__lt=registration.waitlist_position)
                .order_by("-waitlist_position")
                .first()
            )
        else:
            neighbour = (
                neighbours.filter(waitlist_position__gt=registration.waitlist_position)
                .order_by("waitlist_position")
                .first()
            )
        if neighbour is None:
            return registration
        mine, theirs = registration.waitlist_position, neighbour.waitlist_position
        # Positions are unique per forum: park one at 0 (never used) while swapping.
        Registration.objects.filter(pk=registration.pk).update(waitlist_position=0)
        Registration.objects.filter(pk=neighbour.pk).update(waitlist_position=mine)
        Registration.objects.filter(pk=registration.pk).update(waitlist_position=theirs)
        registration.waitlist_position = theirs
        audit.record(
            actor=actor,
            action=RegistrationAction.WAITLIST_MOVED,
            obj=registration,
            before={"waitlist_position": mine},
            after={"waitlist_position": theirs},
        )
    return registration


def _check_in_allowed(forum: Forum, registration: Registration, *, now, early: bool) -> None:
    """Raises why this person cannot be marked present (now)."""
    if forum.state not in (Forum.State.PUBLISHED, Forum.State.HELD):
        raise RegistrationError(_("Check-in is only possible for published or held forums."))
    if registration.state == State.WAITLISTED:
        raise RegistrationError(
            _("%(name)s is on the waiting list: give a seat first, then check in.")
            % {"name": registration.contact.full_name}
        )
    if registration.state not in (State.CONFIRMED, State.NO_SHOW):
        raise RegistrationError(_("This registration cannot be checked in."))
    day = timezone.localdate(forum.starts_at)
    if not early and timezone.localdate(now) < day:
        raise RegistrationError(
            _("Check-in opens on the day of the forum, %(day)s.")
            % {"day": formats.date_format(day, "SHORT_DATE_FORMAT")}
        )


def registration_check_in(
    *, registration: Registration, actor, attended: bool = True, early: bool = False, now=None
):
    """Marks a person with a seat present (one tap at the door), or takes that back.

    Check-in opens on the forum's day; `early` is the staff's explicit choice to check in
    before it (a rehearsal, a forum over several days). A second check-in changes nothing.
    """
    with transaction.atomic():
        forum = lock_forum(registration.forum_id)
        registration = (
            Registration.objects.select_for_update()
            .select_related("contact")
            .get(pk=registration.pk)
        )
        now = now or timezone.now()
        if attended:
            if registration.state == State.ATTENDED:
                return registration
            _check_in_allowed(forum, registration, now=now, early=early)
            registration.check_in(now=now)
            action = RegistrationAction.CHECKED_IN
        else:
            if registration.state != State.ATTENDED:
                return registration
            registration.undo_check_in(forum_held=forum.state == Forum.State.HELD)
            action = RegistrationAction.CHECK_IN_UNDONE
        registration.forum = forum
        audit.save_and_record(
            registration,
            actor=actor,
            action=action,
            update_fields=["state", "waitlist_position", "attended_at", "updated_at"],
        )
    return registration
