"""What the forums services share: the seat counts, locks and checks."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import audit, inserts
from core.roles import Role, has_role
from members.models import Contact, Relationship
from outbox.intents import unsaved_intent

from .. import calendar, mails
from ..audit import RegistrationAction
from ..models import Forum, Registration

State = Registration.State


class RegistrationError(ValidationError):
    """A registration that the rules do not allow; the message is for the person registering."""


# --- helpers -----------------------------------------------------------------------------


def lock_forum(forum_id: int) -> Forum:
    # NO KEY UPDATE: serialises the seat decisions of one forum while still letting the inserts
    # of registrations (which take a KEY SHARE lock on the forum through their foreign key) pass.
    return Forum.objects.select_for_update(no_key=True).get(pk=forum_id)


def seat_counts(forum: Forum) -> tuple[int, dict[int, int]]:
    """Seats taken in total and per company (one query, under the forum lock)."""
    rows = (
        Registration.objects.filter(forum=forum, state__in=Registration.SEAT_STATES)
        .values("company_id")
        .annotate(n=Count("pk"))
    )
    per_company = {row["company_id"]: row["n"] for row in rows}
    return sum(per_company.values()), per_company


SNAPSHOT = ("taken", "mine", "already", "earlier", "top", "next_id")


def _snapshot_query(forum_id: int, *, company_id: int, contact_id: int) -> tuple[str, list]:
    """The statement of seat_snapshot, its columns named as in SNAPSHOT with "snapshot_"."""
    table = connection.ops.quote_name(Registration._meta.db_table)
    seats = ", ".join(["%s"] * len(Registration.SEAT_STATES))
    active = ", ".join(["%s"] * len(Registration.ACTIVE_STATES))
    params = [*Registration.SEAT_STATES, *Registration.SEAT_STATES, company_id]
    params += [contact_id, *Registration.ACTIVE_STATES, contact_id, State.CANCELLED]
    params += [State.WAITLISTED]
    next_id = "NULL"
    if connection.vendor == "postgresql":
        next_id = "nextval(pg_get_serial_sequence(%s, %s))"
        params += [Registration._meta.db_table, Registration._meta.pk.column]
    sql = (
        f"SELECT COUNT(*) FILTER (WHERE state IN ({seats})) AS snapshot_taken,"  # noqa: S608 - no input
        f" COUNT(*) FILTER (WHERE state IN ({seats}) AND company_id = %s) AS snapshot_mine,"
        f" COUNT(*) FILTER (WHERE contact_id = %s AND state IN ({active})) AS snapshot_already,"
        " COUNT(*) FILTER (WHERE contact_id = %s AND state = %s) AS snapshot_earlier,"
        " MAX(waitlist_position) FILTER (WHERE state = %s) AS snapshot_top,"
        f" {next_id} AS snapshot_next_id FROM {table} WHERE forum_id = %s"
    )
    return sql, [*params, forum_id]


def _snapshot(values) -> dict:
    snapshot = dict(zip(SNAPSHOT, values, strict=True))
    if snapshot["next_id"] is None:
        # SQLite holds the whole database for a writing transaction: any moment is in order.
        snapshot["next_id"] = inserts.reserve_id(Registration)
    return snapshot


def seat_snapshot(forum: Forum, *, company_id: int, contact_id: int) -> dict:
    """All a new registration needs to know, in one statement under the forum lock: seats
    taken in total and by the company, whether the contact is registered or was before, the
    waiting list's end, and `next_id`, the id the registration takes: reserved under the lock,
    so ids follow the order in which the lock was granted (arrival order)."""
    sql, params = _snapshot_query(forum.pk, company_id=company_id, contact_id=contact_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _snapshot(cursor.fetchone())


def lock_forum_with_snapshot(
    forum_id: int, *, company_id: int, contact_id: int, today=None
) -> tuple[Forum, dict]:
    """lock_forum, then seat_snapshot, in one round trip (PostgreSQL; elsewhere two); with
    `today`, also `kinds`: the company's relationships to the forum's cluster on that day
    (relationship_kind), read in the same statement instead of one more round trip.

    Two statements sent together: the second starts only once the first holds the lock, so
    it sees every registration committed before it (READ COMMITTED takes a snapshot per
    statement), as a second round trip would, and it reads the locked forum row as it is.
    """
    if connection.vendor != "postgresql":
        forum = lock_forum(forum_id)
        snapshot = seat_snapshot(forum, company_id=company_id, contact_id=contact_id)
        if today is not None:
            snapshot["kinds"] = relationship_kinds(forum, company_id, today)
        return forum, snapshot
    table = connection.ops.quote_name(Forum._meta.db_table)
    pk = connection.ops.quote_name(Forum._meta.pk.column)
    snapshot_sql, snapshot_params = _snapshot_query(
        forum_id, company_id=company_id, contact_id=contact_id
    )
    kinds_sql, params = "NULL", []  # in the order of the statement's placeholders
    if today is not None:
        relationships = connection.ops.quote_name(Relationship._meta.db_table)
        kinds_sql = (
            f"(SELECT array_agg(kind) FROM {relationships} r WHERE r.company_id = %s"  # noqa: S608
            " AND r.cluster_id = forum.cluster_id AND r.valid_from <= %s"
            " AND (r.valid_to IS NULL OR r.valid_to >= %s))"
        )
        params += [company_id, today, today]
    sql = (
        f"SELECT 1 FROM {table} WHERE {pk} = %s FOR NO KEY UPDATE;"  # noqa: S608 - no input
        f" SELECT forum.*, snapshot.*, {kinds_sql} AS snapshot_kinds"
        f" FROM {table} forum, ({snapshot_sql}) snapshot WHERE forum.{pk} = %s"
    )
    rows = list(Forum.objects.raw(sql, [forum_id, *params, *snapshot_params, forum_id]))
    if not rows:
        raise Forum.DoesNotExist
    forum = rows[0]
    snapshot = _snapshot([getattr(forum, f"snapshot_{name}") for name in SNAPSHOT])
    if today is not None:
        snapshot["kinds"] = set(forum.snapshot_kinds or ())
    return forum, snapshot


def seat_write(registration: Registration, *, actor, action) -> None:
    """Writes a new registration (its id reserved), its history row, its audit event and the
    promise of its mail in one round trip: under the forum lock every statement keeps the
    others waiting. The same rows as audit.save_and_record and on_commit_registration_mail."""
    event = audit.unsaved_event(
        actor=actor, action=action, obj=registration, after={"state": registration.state}
    )
    # mails.on_commit_registration_mail, its Intent row written with the others
    from ..tasks import registration_mail

    intent = unsaved_intent(registration_mail, registration.pk, registration.state)
    inserts.insert_with_history(registration, event, intent)


def next_waitlist_position(forum: Forum) -> int:
    top = Registration.objects.filter(forum=forum, state=State.WAITLISTED).aggregate(
        top=Max("waitlist_position")
    )["top"]
    return (top or 0) + 1


def format_when(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def check_open(forum: Forum, *, now: datetime, staff: bool) -> None:
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
            % {"date": format_when(forum.registration_opens_at)},
            code="not_open",
        )
    if now >= forum.effective_closes_at:
        raise RegistrationError(_("The registration deadline has passed."), code="closed")


def relationship_kinds(forum: Forum, company_id: int, today) -> set[str]:
    """The kinds of the company's relationships to the forum's cluster on `today`."""
    return set(
        Relationship.objects.filter(
            company_id=company_id, cluster_id=forum.cluster_id, valid_from__lte=today
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by()  # a set: no join for the default ordering by cluster name
        .values_list("kind", flat=True)
    )


def relationship_kind(forum: Forum, company_id: int, today, kinds=None) -> str | None:
    """The company's current relationship to the forum's cluster (member beats partner);
    `kinds`: relationship_kinds when already read."""
    if kinds is None:
        kinds = relationship_kinds(forum, company_id, today)
    for kind in (Relationship.Kind.MEMBER, Relationship.Kind.PARTNER):
        if kind in kinds:
            return kind
    return None


def needs_approval(forum: Forum, company_id: int, *, now: datetime, kinds=None) -> bool:
    """True if the company may only ask for a seat; raises if it may not register at all.
    `kinds`: the company's relationship_kinds today when already read (under the lock)."""
    kind = relationship_kind(forum, company_id, timezone.localdate(now), kinds)
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


def check_actor_may_register(actor, contact: Contact) -> bool:
    """Returns whether the actor acts as staff. Company users register their own colleagues."""
    if actor is None:
        return False
    if has_role(actor, Role.CLUSTER_MANAGER):
        return True
    if has_role(actor, Role.COMPANY_USER) and actor.company_id == contact.company_id:
        return False
    raise RegistrationError(_("This person is not a contact of your company."), code="foreign")


def seat_decision(forum: Forum, company_id: int) -> str:
    """CONFIRMED if a seat is free and the company is below its cap, else WAITLISTED."""
    taken, per_company = seat_counts(forum)
    if taken < forum.capacity and per_company.get(company_id, 0) < forum.seats_per_company:
        return State.CONFIRMED
    return State.WAITLISTED


def put_on_waitlist(registration: Registration, forum: Forum, now: datetime) -> None:
    registration.put_on_waitlist(position=next_waitlist_position(forum), now=now)


def promote(forum: Forum, *, now: datetime, exclude: Iterable[int] = ()) -> list[Registration]:
    """Fills free seats from the waiting list in its order, skipping companies at their cap.

    Call only with the forum row locked. Returns the promoted registrations.
    """
    taken, per_company = seat_counts(forum)
    free = forum.capacity - taken
    if free <= 0:
        return []
    promoted = []
    waiting = (
        Registration.objects.filter(forum=forum, state=State.WAITLISTED)
        .exclude(pk__in=list(exclude))
        .select_related("contact")
        .order_by("waitlist_position", "pk")
    )
    for registration in waiting:
        if free <= 0:
            break
        if per_company.get(registration.company_id, 0) >= forum.seats_per_company:
            continue
        registration.forum = forum
        registration.confirm(now=now)
        # The system moves them up: no one acted.
        audit.save_and_record(
            registration,
            actor=None,
            action=RegistrationAction.PROMOTED,
            update_fields=["state", "waitlist_position", "confirmed_at", "updated_at"],
        )
        per_company[registration.company_id] = per_company.get(registration.company_id, 0) + 1
        free -= 1
        promoted.append(registration)
    if promoted:
        calendar.revise(forum)  # a promoted person may have had a CANCEL before
    for registration in promoted:
        mails.on_commit_registration_mail(registration.pk, "promoted")
    return promoted
