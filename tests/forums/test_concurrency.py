"""Seats under real concurrency: threads, each with its own PostgreSQL connection."""

from collections import Counter

import pytest
from django.db import connection

from forums import services
from forums.models import Registration
from members.models import Contact
from tests.concurrency import results_and_errors

from .conftest import add_company, build_forum

State = Registration.State
COMPANIES = 12
PER_COMPANY = 5  # 60 people for 10 seats, at most 2 per company


def _expected_promotion(forum) -> int | None:
    """The rule, read off the table: the first waiting person whose company is below its cap."""
    per_company = Counter(
        forum.registrations.filter(state__in=Registration.SEAT_STATES).values_list(
            "company_id", flat=True
        )
    )
    for registration in forum.registrations.filter(state=State.WAITLISTED).order_by(
        "waitlist_position"
    ):
        if per_company[registration.company_id] < forum.seats_per_company:
            return registration.pk
    return None


@pytest.mark.django_db(transaction=True)
def test_rush_fills_exactly_the_seats_and_keeps_arrival_order(cluster, task_queue):
    assert connection.vendor == "postgresql"
    forum = build_forum(cluster, capacity=10, seats_per_company=2)
    for index in range(COMPANIES):
        add_company(cluster, f"Firma{index:02d} GmbH", contacts=PER_COMPANY)
    contacts = list(Contact.objects.order_by("pk"))
    assert len(contacts) == COMPANIES * PER_COMPANY >= 50

    results, errors = results_and_errors(
        lambda contact: services.registration_create(forum=forum, contact=contact).pk, contacts
    )

    assert errors == []
    assert len(results) == len(contacts)
    registrations = list(forum.registrations.order_by("pk"))
    assert len(registrations) == len(contacts)
    confirmed = [r for r in registrations if r.state == State.CONFIRMED]
    waiting = [r for r in registrations if r.state == State.WAITLISTED]
    assert len(confirmed) == 10
    assert len(waiting) == len(contacts) - 10
    assert max(Counter(r.company_id for r in confirmed).values()) <= 2
    # Arrival order: the order in which the forum lock was granted is the insert order (pk)
    # and the time stamped under the lock; the waiting list follows it without gaps.
    assert [r.waitlist_position for r in waiting] == list(range(1, len(waiting) + 1))
    assert [r.pk for r in sorted(waiting, key=lambda r: r.created_at)] == [r.pk for r in waiting]

    # Three cancellations at once: each frees a seat for the first waiting person who fits.
    to_cancel = confirmed[:3]
    position_before = {r.pk: r.waitlist_position for r in waiting}
    results, errors = results_and_errors(
        lambda registration: services.registration_cancel(registration=registration).pk,
        to_cancel,
    )
    assert errors == []
    after = list(forum.registrations.all())
    confirmed_after = [r for r in after if r.state == State.CONFIRMED]
    per_company = Counter(r.company_id for r in confirmed_after)
    assert len(confirmed_after) == 10
    assert max(per_company.values()) <= 2
    promoted = {r.pk for r in confirmed_after} - {r.pk for r in confirmed}
    assert len(promoted) == 3
    assert sum(1 for r in after if r.state == State.CANCELLED) == 3
    # Nobody who fits was skipped: everyone still waiting in front of a promoted person
    # belongs to a company that has used its seats.
    last_promoted = max(position_before[pk] for pk in promoted)
    for registration in after:
        if registration.state == State.WAITLISTED and (
            position_before[registration.pk] < last_promoted
        ):
            assert per_company[registration.company_id] == 2, registration


@pytest.mark.django_db(transaction=True)
def test_promotion_follows_the_rule_exactly(cluster, task_queue):
    """Serial and deterministic: the one promoted is the first waiting person below the cap."""
    forum = build_forum(cluster, capacity=4, seats_per_company=2)
    a = add_company(cluster, "Alpha GmbH", contacts=4)
    b = add_company(cluster, "Beta GmbH", contacts=3)
    people = list(a.contacts.order_by("pk")) + list(b.contacts.order_by("pk"))
    regs = [services.registration_create(forum=forum, contact=c) for c in people]
    # Alpha: 2 confirmed, 2 waiting (cap); Beta: 2 confirmed, 1 waiting (full).
    assert [r.state for r in regs] == [State.CONFIRMED] * 2 + [State.WAITLISTED] * 2 + [
        State.CONFIRMED
    ] * 2 + [State.WAITLISTED]
    expected = _expected_promotion(forum)
    assert expected is None  # the forum is full
    services.registration_cancel(registration=regs[4])  # a Beta seat frees up
    regs = [Registration.objects.get(pk=r.pk) for r in regs]
    # Alpha's waiting people stand in front but Alpha is at its cap: Beta's waiting one moves up.
    assert regs[6].state == State.CONFIRMED
    assert regs[2].state == State.WAITLISTED and regs[3].state == State.WAITLISTED


@pytest.mark.django_db(transaction=True)
def test_cancellations_racing_new_registrations_never_overbook(cluster, task_queue):
    forum = build_forum(cluster, capacity=10, seats_per_company=2)
    for index in range(10):
        add_company(cluster, f"Race{index:02d} GmbH", contacts=4)
    contacts = list(Contact.objects.order_by("pk"))
    first, later = contacts[:20], contacts[20:]
    for contact in first:
        services.registration_create(forum=forum, contact=contact)
    confirmed = list(forum.registrations.filter(state=State.CONFIRMED))
    jobs = [("cancel", r) for r in confirmed[:5]] + [("register", c) for c in later]

    def act(job):
        kind, target = job
        if kind == "cancel":
            return services.registration_cancel(registration=target).pk
        return services.registration_create(forum=forum, contact=target).pk

    results, errors = results_and_errors(act, jobs)
    assert errors == []
    rows = list(forum.registrations.all())
    seats = [r for r in rows if r.state == State.CONFIRMED]
    assert len(seats) == 10
    assert max(Counter(r.company_id for r in seats).values()) <= 2
    positions = [r.waitlist_position for r in rows if r.state == State.WAITLISTED]
    assert len(positions) == len(set(positions)) == len(contacts) - 10 - 5
