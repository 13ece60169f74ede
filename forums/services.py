"""Writes of the forums app: one transaction each, keyword-only.

Seats are the scarce resource. Every write that takes or frees a seat locks the forum's row first
(SELECT ... FOR NO KEY UPDATE) and only then counts and inserts, all in one short transaction:
concurrent registrations for the same forum queue at that lock in arrival order, registrations
for different forums do not wait for each other, and no mail or other slow work happens while
the lock is held (mails are queued on commit).
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from members.models import Contact, Relationship
from metalldialog.roles import Role, has_role

from . import calendar, mails
from .models import PAST_START_MESSAGE, AgendaItem, Feedback, Forum, Registration

State = Registration.State


class RegistrationError(ValidationError):
    """A registration that the rules do not allow; the message is for the person registering."""


# --- helpers -----------------------------------------------------------------------------


def _lock_forum(forum_id: int) -> Forum:
    # NO KEY UPDATE: serialises the seat decisions of one forum while still letting the inserts
    # of registrations (which take a KEY SHARE lock on the forum through their foreign key) pass.
    return Forum.objects.select_for_update(no_key=True).get(pk=forum_id)


def _seat_counts(forum: Forum) -> tuple[int, dict[int, int]]:
    """Seats taken in total and per company (one query, under the forum lock)."""
    rows = (
        Registration.objects.filter(forum=forum, state__in=Registration.SEAT_STATES)
        .values("company_id")
        .annotate(n=Count("pk"))
    )
    per_company = {row["company_id"]: row["n"] for row in rows}
    return sum(per_company.values()), per_company


def _seat_snapshot(forum: Forum, *, company_id: int, contact_id: int) -> dict:
    """All a new registration needs to know, in one query under the forum lock: seats taken
    in total and by the company, whether the contact is registered, the waiting list's end."""
    seats = Q(state__in=Registration.SEAT_STATES)
    return Registration.objects.filter(forum=forum).aggregate(
        taken=Count("pk", filter=seats),
        mine=Count("pk", filter=seats & Q(company_id=company_id)),
        already=Count("pk", filter=Q(contact_id=contact_id, state__in=Registration.ACTIVE_STATES)),
        earlier=Count("pk", filter=Q(contact_id=contact_id, state=State.CANCELLED)),
        top=Max("waitlist_position", filter=Q(state=State.WAITLISTED)),
    )


def _next_waitlist_position(forum: Forum) -> int:
    top = Registration.objects.filter(forum=forum, state=State.WAITLISTED).aggregate(
        top=Max("waitlist_position")
    )["top"]
    return (top or 0) + 1


def _set_history_user(obj, actor) -> None:
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor


def _format_when(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _check_open(forum: Forum, *, now: datetime, staff: bool) -> None:
    """Raises the reason why this forum takes no registration now."""
    if forum.state == Forum.State.DRAFT:
        raise RegistrationError(_("This forum has not been published yet."), code="draft")
    if forum.state == Forum.State.CANCELLED:
        raise RegistrationError(_("This forum has been cancelled."), code="cancelled")
    if forum.state == Forum.State.HELD or forum.has_ended(now):
        raise RegistrationError(_("This forum has already taken place."), code="held")
    if staff:
        # Staff may still add people after the public deadline, until the forum ends.
        return
    if forum.registration_opens_at and now < forum.registration_opens_at:
        raise RegistrationError(
            _("Registration opens on %(date)s.")
            % {"date": _format_when(forum.registration_opens_at)},
            code="not_open",
        )
    if now >= forum.effective_closes_at:
        raise RegistrationError(_("The registration deadline has passed."), code="closed")


def _relationship_kind(forum: Forum, company_id: int, today) -> str | None:
    """The company's current relationship to the forum's cluster (member beats partner)."""
    kinds = set(
        Relationship.objects.filter(
            company_id=company_id, cluster_id=forum.cluster_id, valid_from__lte=today
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .values_list("kind", flat=True)
    )
    for kind in (Relationship.Kind.MEMBER, Relationship.Kind.PARTNER):
        if kind in kinds:
            return kind
    return None


def _needs_approval(forum: Forum, company_id: int, *, now: datetime) -> bool:
    """True if the company may only ask for a seat; raises if it may not register at all."""
    kind = _relationship_kind(forum, company_id, timezone.localdate(now))
    if forum.audience == Forum.Audience.MEMBERS:
        if kind != Relationship.Kind.MEMBER:
            raise RegistrationError(
                _("This forum is open to members of the cluster only."), code="audience"
            )
        return False
    if forum.audience == Forum.Audience.NETWORK:
        if kind is None:
            raise RegistrationError(
                _("This forum is open to members and network partners of the cluster only."),
                code="audience",
            )
        return False
    return kind is None


def _check_actor_may_register(actor, contact: Contact) -> bool:
    """Returns whether the actor acts as staff. Company users register their own colleagues."""
    if actor is None:
        return False
    if has_role(actor, Role.CLUSTER_MANAGER):
        return True
    if has_role(actor, Role.COMPANY_USER) and actor.company_id == contact.company_id:
        return False
    raise RegistrationError(_("This person is not a contact of your company."), code="foreign")


def _seat_decision(forum: Forum, company_id: int) -> str:
    """CONFIRMED if a seat is free and the company is below its cap, else WAITLISTED."""
    taken, per_company = _seat_counts(forum)
    if taken < forum.capacity and per_company.get(company_id, 0) < forum.seats_per_company:
        return State.CONFIRMED
    return State.WAITLISTED


def _put_on_waitlist(registration: Registration, forum: Forum, now: datetime) -> None:
    registration.state = State.WAITLISTED
    registration.waitlist_position = _next_waitlist_position(forum)
    registration.waitlisted_at = now


def _promote(forum: Forum, *, now: datetime, exclude: Iterable[int] = ()) -> list[Registration]:
    """Fills free seats from the waiting list in its order, skipping companies at their cap.

    Call only with the forum row locked. Returns the promoted registrations.
    """
    taken, per_company = _seat_counts(forum)
    free = forum.capacity - taken
    if free <= 0:
        return []
    promoted = []
    waiting = (
        Registration.objects.filter(forum=forum, state=State.WAITLISTED)
        .exclude(pk__in=list(exclude))
        .order_by("waitlist_position", "pk")
    )
    for registration in waiting:
        if free <= 0:
            break
        if per_company.get(registration.company_id, 0) >= forum.seats_per_company:
            continue
        registration.state = State.CONFIRMED
        registration.waitlist_position = None
        registration.confirmed_at = now
        registration.save(
            update_fields=["state", "waitlist_position", "confirmed_at", "updated_at"]
        )
        per_company[registration.company_id] = per_company.get(registration.company_id, 0) + 1
        free -= 1
        promoted.append(registration)
    if promoted:
        calendar.revise(forum)  # a promoted person may have had a CANCEL before
    for registration in promoted:
        mails.on_commit_registration_mail(registration.pk, "promoted")
    return promoted


# --- registrations -----------------------------------------------------------------------


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
    staff = _check_actor_may_register(actor, contact)
    # Rules that do not depend on seats are checked before the lock (an early, clear answer);
    # under the lock only what others can change meanwhile: the forum's state and the seats.
    _check_open(forum, now=now or timezone.now(), staff=staff)
    pending = (
        False if staff else _needs_approval(forum, contact.company_id, now=now or timezone.now())
    )
    with transaction.atomic():
        locked = _lock_forum(forum.pk)
        now = now or timezone.now()
        _check_open(locked, now=now, staff=staff)
        snapshot = _seat_snapshot(locked, company_id=contact.company_id, contact_id=contact.pk)
        if snapshot["already"]:
            raise RegistrationError(
                _("%(name)s is already registered for this forum.") % {"name": contact.full_name},
                code="duplicate",
            )
        registration = Registration(
            forum=locked,
            contact=contact,
            company_id=contact.company_id,
            source=source,
            registered_by=actor if getattr(actor, "is_authenticated", False) else None,
            note=note,
            created_at=now,
        )
        if pending:
            registration.state = State.PENDING
        elif snapshot["taken"] < locked.capacity and snapshot["mine"] < locked.seats_per_company:
            registration.state = State.CONFIRMED
            registration.confirmed_at = now
        else:
            registration.state = State.WAITLISTED
            registration.waitlist_position = (snapshot["top"] or 0) + 1
            registration.waitlisted_at = now
        _set_history_user(registration, actor)
        registration.save()
        if registration.state == State.CONFIRMED and snapshot["earlier"]:
            calendar.revise(locked)  # their calendar may hold a CANCEL of this forum
        mails.on_commit_registration_mail(registration.pk, registration.state)
    return registration


def registration_cancel(*, registration: Registration, actor=None, now=None) -> Registration:
    """Withdraws a registration and gives its seat to the first waiting person who fits."""
    with transaction.atomic():
        forum = _lock_forum(registration.forum_id)
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
        registration.state = State.CANCELLED
        registration.waitlist_position = None
        registration.cancelled_at = now
        _set_history_user(registration, actor)
        registration.save(
            update_fields=["state", "waitlist_position", "cancelled_at", "updated_at"]
        )
        mails.reminders_cancel(registration)
        if held_seat:
            calendar.revise(forum)  # the CANCEL to their calendar
        mails.on_commit_registration_mail(registration.pk, "cancelled")
        if held_seat and forum.state == Forum.State.PUBLISHED:
            _promote(forum, now=now)
    return registration


def registration_confirm(*, registration: Registration, actor, now=None) -> Registration:
    """Staff give a waiting or pending person a seat; capacity and company cap still apply."""
    with transaction.atomic():
        forum = _lock_forum(registration.forum_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        now = now or timezone.now()
        if registration.state not in (State.WAITLISTED, State.PENDING):
            raise RegistrationError(_("Only waiting or pending registrations can be confirmed."))
        taken, per_company = _seat_counts(forum)
        if taken >= forum.capacity:
            raise RegistrationError(
                _("The forum is full. Raise the number of seats or cancel a registration first.")
            )
        if per_company.get(registration.company_id, 0) >= forum.seats_per_company:
            raise RegistrationError(_("This company has used all its seats for this forum."))
        registration.state = State.CONFIRMED
        registration.waitlist_position = None
        registration.confirmed_at = now
        _set_history_user(registration, actor)
        registration.save(
            update_fields=["state", "waitlist_position", "confirmed_at", "updated_at"]
        )
        calendar.revise(forum)  # a person moved off a seat before has had a CANCEL
        mails.on_commit_registration_mail(registration.pk, "confirmed")
    return registration


def registration_approve(*, registration: Registration, actor, now=None) -> Registration:
    """Staff accept a pending request: a seat if one fits, else the waiting list."""
    with transaction.atomic():
        forum = _lock_forum(registration.forum_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        now = now or timezone.now()
        if registration.state != State.PENDING:
            raise RegistrationError(_("This registration is not awaiting approval."))
        if _seat_decision(forum, registration.company_id) == State.CONFIRMED:
            registration.state = State.CONFIRMED
            registration.confirmed_at = now
        else:
            _put_on_waitlist(registration, forum, now)
        _set_history_user(registration, actor)
        registration.save()
        mails.on_commit_registration_mail(registration.pk, registration.state)
    return registration


def registration_move_to_waitlist(*, registration: Registration, actor, now=None) -> Registration:
    """Staff move a confirmed person to the end of the waiting list; the seat goes on."""
    with transaction.atomic():
        forum = _lock_forum(registration.forum_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        now = now or timezone.now()
        if registration.state != State.CONFIRMED:
            raise RegistrationError(
                _("Only confirmed registrations can be moved to the waiting list.")
            )
        _put_on_waitlist(registration, forum, now)
        registration.confirmed_at = None
        _set_history_user(registration, actor)
        registration.save()
        mails.reminders_cancel(registration)
        calendar.revise(forum)  # the CANCEL to their calendar
        mails.on_commit_registration_mail(registration.pk, "unseated")
        _promote(forum, now=now, exclude=[registration.pk])
    return registration


def registration_waitlist_shift(*, registration: Registration, actor, up: bool) -> Registration:
    """Swaps a waiting person with the neighbour before (up) or after them."""
    with transaction.atomic():
        forum = _lock_forum(registration.forum_id)
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
        forum = _lock_forum(registration.forum_id)
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
            registration.state = State.ATTENDED
            registration.waitlist_position = None
            registration.attended_at = now
        else:
            if registration.state != State.ATTENDED:
                return registration
            registration.state = (
                State.NO_SHOW if forum.state == Forum.State.HELD else State.CONFIRMED
            )
            registration.attended_at = None
        _set_history_user(registration, actor)
        registration.save(update_fields=["state", "waitlist_position", "attended_at", "updated_at"])
    return registration


# --- forums ------------------------------------------------------------------------------


FORUM_FIELDS = (
    "cluster",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "host_company",
    "venue_name",
    "venue_street",
    "venue_postcode",
    "venue_city",
    "capacity",
    "seats_per_company",
    "registration_opens_at",
    "registration_closes_at",
    "audience",
    "reminder_days",
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
    _set_history_user(forum, actor)
    forum.save()
    forum.topics.set(topics)
    AgendaItem.objects.bulk_create(AgendaItem(forum=forum, **item) for item in agenda)
    return forum


def forum_update(*, forum: Forum, actor, topics=None, agenda=None, **fields) -> Forum:
    """Changes a forum's details. Moving the date goes through forum_reschedule."""
    unknown = set(fields) - set(FORUM_FIELDS)
    if unknown:
        raise TypeError(f"unknown forum fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock_forum(forum.pk)
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
        for key, value in fields.items():
            setattr(locked, key, value)
        locked.full_clean(exclude=["topics"])
        _set_history_user(locked, actor)
        locked.save()
        if topics is not None:
            locked.topics.set(topics)
        if agenda is not None:
            locked.agenda_items.all().delete()
            AgendaItem.objects.bulk_create(AgendaItem(forum=locked, **item) for item in agenda)
        if locked.state == Forum.State.PUBLISHED:
            # More seats or a higher company cap may let waiting people in.
            _promote(locked, now=timezone.now())
            # How many people are told of the change, for the page that saved it.
            locked.informed_of_changes = calendar.forum_changed(locked, shown_before)
            # Planned reminders carry the entry as it was when they were planned.
            if reminders_changed or locked.informed_of_changes:
                mails.on_commit_reminders_replan(locked.pk)
    return locked


def forum_publish(*, forum: Forum, actor) -> Forum:
    with transaction.atomic():
        locked = _lock_forum(forum.pk)
        if locked.state != Forum.State.DRAFT:
            raise ValidationError(_("Only a draft can be published."))
        if locked.has_ended():
            raise ValidationError(_("A forum in the past cannot be published."))
        locked.state = Forum.State.PUBLISHED
        locked.published_at = timezone.now()
        _set_history_user(locked, actor)
        locked.save(update_fields=["state", "published_at", "updated_at"])
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
        locked = _lock_forum(forum.pk)
        if locked.state in (Forum.State.CANCELLED, Forum.State.HELD):
            raise ValidationError(_("This forum cannot be cancelled any more."))
        was_published = locked.state == Forum.State.PUBLISHED
        locked.state = Forum.State.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = reason
        locked.sequence += 1  # calendars must drop the entry
        _set_history_user(locked, actor)
        locked.save(
            update_fields=["state", "cancelled_at", "cancel_reason", "sequence", "updated_at"]
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
        locked = _lock_forum(forum.pk)
        if locked.state in (Forum.State.CANCELLED, Forum.State.HELD):
            raise ValidationError(_("A cancelled or held forum cannot be moved."))
        if (locked.starts_at, locked.ends_at) == (starts_at, ends_at):
            return locked
        old_starts_at = locked.starts_at
        shift = starts_at - old_starts_at
        locked.starts_at, locked.ends_at = starts_at, ends_at
        # Deadlines move with the forum so they keep their distance to it.
        if locked.registration_closes_at:
            locked.registration_closes_at += shift
        if locked.registration_opens_at:
            locked.registration_opens_at += shift
        locked.sequence += 1
        _set_history_user(locked, actor)
        locked.save()
        if locked.state == Forum.State.PUBLISHED:
            mails.on_commit_forum_rescheduled(
                locked.pk, _informed_registrations(locked), old_starts_at, reason
            )
            mails.on_commit_reminders_replan(locked.pk)
    return locked


def forum_close(*, forum: Forum, actor, now=None) -> Forum:
    """After the forum: marks it held, unmarked confirmed people as no-shows, asks for feedback."""
    with transaction.atomic():
        locked = _lock_forum(forum.pk)
        now = now or timezone.now()
        if locked.state != Forum.State.PUBLISHED:
            raise ValidationError(_("Only a published forum can be closed."))
        if not locked.has_ended(now):
            raise ValidationError(_("The forum has not ended yet."))
        locked.state = Forum.State.HELD
        _set_history_user(locked, actor)
        locked.save(update_fields=["state", "updated_at"])
        for registration in locked.registrations.filter(state=State.CONFIRMED):
            registration.state = State.NO_SHOW
            _set_history_user(registration, actor)
            registration.save(update_fields=["state", "updated_at"])
        attended = list(
            locked.registrations.filter(state=State.ATTENDED).values_list("pk", flat=True)
        )
        mails.on_commit_feedback_requests(locked.pk, attended)
    return locked


# --- feedback ----------------------------------------------------------------------------


def feedback_submit(*, registration: Registration, rating: int, comment: str = "") -> Feedback:
    """An attendee's rating of a held forum; sending again replaces the earlier answer."""
    if registration.state != State.ATTENDED:
        raise ValidationError(_("Only participants who attended can give feedback."))
    if registration.forum.state != Forum.State.HELD and not registration.forum.has_ended():
        raise ValidationError(_("Feedback is possible once the forum has taken place."))
    if not 1 <= int(rating) <= 5:
        raise ValidationError(_("Please rate from 1 to 5."))
    with transaction.atomic():
        feedback, _created = Feedback.objects.update_or_create(
            registration=registration,
            defaults={"rating": int(rating), "comment": comment, "submitted_at": timezone.now()},
        )
    return feedback
