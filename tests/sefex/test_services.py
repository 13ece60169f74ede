"""Rules of the SEFEX services: lifecycle, and bad input that gets a clear message and writes
nothing."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from core.models import AuditEvent
from sefex import services, workdays
from sefex.audit import ActionItemAction, WorkshopAction
from sefex.models import ActionItem, AvailabilityRule, ProposedSlot, Workshop
from sefex.services import SlotTaken, WorkshopError

from .conftest import add_company, future, held, proposed, request_for, scheduled

State = Workshop.State


def _snapshot():
    return (
        list(Workshop.objects.order_by("pk").values()),
        list(ProposedSlot.objects.order_by("pk").values()),
        list(AvailabilityRule.objects.order_by("pk").values()),
    )


def test_full_lifecycle(company_a, company_user_a, module, project_manager, contacts_a):
    workshop = services.workshop_request(
        actor=company_user_a, company=company_a, module=module, note="Lohnfertigung"
    )
    assert workshop.state == State.REQUESTED
    assert workshop.requested_by == company_user_a
    starts = [future(7), future(8), future(9, hour=13)]
    slots = services.slots_propose(
        workshop=workshop, actor=project_manager, project_manager=project_manager, starts=starts
    )
    assert [s.starts_at for s in slots] == starts
    workshop.refresh_from_db()
    assert workshop.state == State.SLOTS_PROPOSED
    booked = services.slot_choose(
        slot_id=slots[1].pk, workshop_id=workshop.pk, actor=company_user_a
    )
    assert (booked.state, booked.starts_at) == (State.SCHEDULED, starts[1])
    assert booked.ends_at - booked.starts_at == timedelta(hours=4)
    assert not ProposedSlot.objects.filter(workshop=workshop).exists()
    after = booked.ends_at + timedelta(minutes=1)
    services.workshop_mark_held(workshop=booked, actor=project_manager, now=after)
    workshop.refresh_from_db()
    assert workshop.state == State.HELD
    assert workshop.held_on == timezone.localdate(starts[1])
    services.minutes_save(
        workshop=workshop,
        actor=project_manager,
        agenda="1. Ziele",
        findings={module.pk: ("Lohnfertiger", "Eigenes Produkt")},
    )
    item = services.action_item_create(
        workshop=workshop,
        actor=project_manager,
        title="ABC-Analyse",
        owner=contacts_a[0],
        due_on=timezone.localdate() + timedelta(days=30),
    )
    services.assessment_save(
        workshop=workshop,
        actor=project_manager,
        strategy=2,
        market_access=2,
        product_portfolio=1,
        efficiency=3,
        organisation=2,
    )
    services.workshop_document(workshop=workshop, actor=project_manager)
    services.action_item_mark_done(item=item, actor=company_user_a)
    item.refresh_from_db()
    assert item.state == ActionItem.State.DONE and item.done_by == company_user_a
    services.workshop_close(workshop=workshop, actor=project_manager)
    workshop.refresh_from_db()
    assert workshop.state == State.CLOSED
    assert workshop.findings.get().goals == "Eigenes Produkt"
    # Every step is in the one audit trail, with who did it.
    trail = AuditEvent.objects.filter(object_id=str(workshop.pk), action__startswith="workshop.")
    assert list(trail.order_by("pk").values_list("action", "actor")) == [
        (WorkshopAction.REQUESTED, company_user_a.pk),
        (WorkshopAction.SLOTS_PROPOSED, project_manager.pk),
        (WorkshopAction.SLOT_CHOSEN, company_user_a.pk),
        (WorkshopAction.HELD, project_manager.pk),
        (WorkshopAction.MINUTES_SAVED, project_manager.pk),
        (WorkshopAction.MINUTES_RELEASED, project_manager.pk),
        (WorkshopAction.CLOSED, project_manager.pk),
    ]
    assert trail.get(action=WorkshopAction.SLOT_CHOSEN).after["state"] == State.SCHEDULED
    item_events = AuditEvent.objects.filter(object_id=str(item.pk), action__startswith="action_")
    assert list(item_events.order_by("pk").values_list("action", flat=True)) == [
        ActionItemAction.CREATED,
        ActionItemAction.DONE,
    ]


REFUSALS_DE = {
    "past": "liegt in der Vergangenheit",
    "slot_taken": "Dieser Termin ist leider gerade vergeben worden. "
    "Bitte wählen Sie einen anderen.",
    "cancelled": "Dieser Workshop wurde abgesagt.",
    "overlap": "Diese Zeit überschneidet sich mit einer Verfügbarkeit, die Sie für diesen "
    "Wochentag bereits eingetragen haben.",
}


def _refused(code, call):
    before = _snapshot()
    with pytest.raises(WorkshopError) as info:
        call()
    assert info.value.code == code
    assert _snapshot() == before, "a refused change must write nothing"
    return info.value


def test_slot_in_the_past_is_refused(company_a, module, project_manager):
    workshop = request_for(company_a, module)
    error = _refused(
        "past",
        lambda: services.slots_propose(
            workshop=workshop,
            actor=project_manager,
            project_manager=project_manager,
            starts=[timezone.now() - timedelta(hours=1), future(3)],
        ),
    )
    with translation.override("de"):
        assert REFUSALS_DE["past"] in str(error.messages[0])
    _refused(
        "past",
        lambda: services.workshop_schedule(
            workshop=workshop,
            actor=project_manager,
            project_manager=project_manager,
            starts_at=timezone.now() - timedelta(minutes=5),
        ),
    )


def test_slot_that_passed_since_it_was_proposed_is_refused(
    company_a, company_user_a, module, project_manager
):
    workshop = proposed(company_a, module, project_manager, [future(1), future(2)])
    slot = workshop.slots.first()
    _refused(
        "past",
        lambda: services.slot_choose(
            slot_id=slot.pk,
            workshop_id=workshop.pk,
            actor=company_user_a,
            now=slot.starts_at + timedelta(minutes=1),
        ),
    )


def test_proposals_need_two_or_three_separate_times(company_a, module, project_manager):
    workshop = request_for(company_a, module)
    for starts in ([future(3)], [future(3), future(4), future(5), future(6)]):
        _refused(
            "count",
            lambda s=starts: services.slots_propose(
                workshop=workshop, actor=project_manager, project_manager=project_manager, starts=s
            ),
        )
    _refused(
        "overlap",
        lambda: services.slots_propose(
            workshop=workshop,
            actor=project_manager,
            project_manager=project_manager,
            starts=[future(3, hour=9), future(3, hour=11)],
        ),
    )


def test_proposal_over_a_booked_workshop_of_the_manager_is_refused(
    company_a, company_b, module, project_manager
):
    scheduled(company_b, module, project_manager, future(5, hour=9))
    workshop = request_for(company_a, module)
    _refused(
        "manager_busy",
        lambda: services.slots_propose(
            workshop=workshop,
            actor=project_manager,
            project_manager=project_manager,
            starts=[future(5, hour=11), future(6)],
        ),
    )


def test_booking_a_cancelled_workshop_is_refused(
    company_a, company_user_a, module, project_manager
):
    workshop = proposed(company_a, module, project_manager, [future(3), future(4)])
    slot_id = workshop.slots.first().pk
    services.workshop_cancel(workshop=workshop, actor=project_manager, reason="Krankheit")
    error = _refused(
        "cancelled",
        lambda: services.slot_choose(
            slot_id=slot_id, workshop_id=workshop.pk, actor=company_user_a
        ),
    )
    with translation.override("de"):
        assert str(error.messages[0]) == REFUSALS_DE["cancelled"]
    _refused(
        "cancelled",
        lambda: services.workshop_schedule(
            workshop=workshop,
            actor=project_manager,
            project_manager=project_manager,
            starts_at=future(5),
        ),
    )


def test_company_cannot_book_another_companys_slot(
    company_a, company_b, company_user_b, module, project_manager
):
    workshop = proposed(company_a, module, project_manager, [future(3), future(4)])
    _refused(
        "foreign",
        lambda: services.slot_choose(
            slot_id=workshop.slots.first().pk, workshop_id=workshop.pk, actor=company_user_b
        ),
    )
    # Through an invited contact of B (their link names B's workshop, not A's).
    contact_b = company_b.contacts.first()
    _refused(
        "foreign",
        lambda: services.slot_choose(
            slot_id=workshop.slots.first().pk, workshop_id=workshop.pk, contact=contact_b
        ),
    )
    # A slot of A's workshop posted on B's own workshop.
    own = proposed(company_b, module, project_manager, [future(10), future(11)])
    _refused(
        "foreign",
        lambda: services.slot_choose(
            slot_id=workshop.slots.first().pk, workshop_id=own.pk, actor=company_user_b
        ),
    )


def test_company_already_booked_at_that_time_is_refused(
    company_a, company_user_a, module, project_manager, other_manager
):
    scheduled(company_a, module, other_manager, future(4, hour=9))
    workshop = proposed(company_a, module, project_manager, [future(4, hour=11), future(5)])
    slot = workshop.slots.get(starts_at=future(4, hour=11))
    error = _refused(
        "slot_taken",
        lambda: services.slot_choose(
            slot_id=slot.pk, workshop_id=workshop.pk, actor=company_user_a
        ),
    )
    with translation.override("de"):
        assert str(error.messages[0]) == REFUSALS_DE["slot_taken"]
    assert isinstance(error, SlotTaken)


def test_overlapping_availability_is_refused(project_manager):
    services.availability_rule_add(
        project_manager=project_manager,
        actor=project_manager,
        weekday=1,
        start_time=time(9),
        end_time=time(13),
        valid_from=timezone.localdate(),
    )
    error = _refused(
        "overlap",
        lambda: services.availability_rule_add(
            project_manager=project_manager,
            actor=project_manager,
            weekday=1,
            start_time=time(12),
            end_time=time(16),
            valid_from=timezone.localdate(),
        ),
    )
    with translation.override("de"):
        assert str(error.messages[0]) == REFUSALS_DE["overlap"]
    # Touching windows are fine, so are other weekdays and ended periods.
    services.availability_rule_add(
        project_manager=project_manager,
        actor=project_manager,
        weekday=1,
        start_time=time(13),
        end_time=time(17),
        valid_from=timezone.localdate(),
    )
    services.availability_rule_add(
        project_manager=project_manager,
        actor=project_manager,
        weekday=2,
        start_time=time(9),
        end_time=time(13),
        valid_from=timezone.localdate(),
    )
    assert AvailabilityRule.objects.count() == 3


def test_free_slots_skip_exceptions_and_bookings(company_a, module, project_manager):
    from sefex.selectors import free_slots

    tuesday = timezone.localdate() + timedelta(days=(1 - timezone.localdate().weekday()) % 7 + 7)
    while not workdays.is_workday(tuesday):  # free times skip public holidays
        tuesday += timedelta(days=7)
    services.availability_rule_add(
        project_manager=project_manager,
        actor=project_manager,
        weekday=1,
        start_time=time(8),
        end_time=time(16),
        valid_from=timezone.localdate(),
    )
    found = free_slots(manager=project_manager, start=tuesday, days=0, duration_hours=4)
    assert [timezone.localtime(s).hour for s in found] == [8, 12]
    days = (tuesday - timezone.localdate()).days
    scheduled(company_a, module, project_manager, future(days, hour=8))
    found = free_slots(manager=project_manager, start=tuesday, days=0, duration_hours=4)
    assert [timezone.localtime(s).hour for s in found] == [12]
    services.availability_exception_add(
        project_manager=project_manager,
        actor=project_manager,
        day=tuesday,
        start_time=time(14),
        end_time=time(15),
    )
    assert free_slots(manager=project_manager, start=tuesday, days=0, duration_hours=4) == []


def test_reschedule_raises_sequence_and_cancel_frees_the_time(
    company_a, company_b, module, project_manager
):
    workshop = scheduled(company_a, module, project_manager, future(5))
    moved = services.workshop_reschedule(
        workshop=workshop, actor=project_manager, starts_at=future(6)
    )
    assert (moved.starts_at, moved.sequence) == (future(6), 1)
    other = request_for(company_b, module)
    with pytest.raises(SlotTaken):
        services.workshop_schedule(
            workshop=other,
            actor=project_manager,
            project_manager=project_manager,
            starts_at=future(6),
        )
    services.workshop_cancel(workshop=moved, actor=project_manager)
    booked = services.workshop_schedule(
        workshop=other, actor=project_manager, project_manager=project_manager, starts_at=future(6)
    )
    assert booked.state == State.SCHEDULED


def test_company_user_may_withdraw_only_an_open_request(
    company_a, company_user_a, module, project_manager
):
    workshop = request_for(company_a, module, actor=company_user_a)
    # A reason PostgreSQL cannot store (a NUL character) is refused, not a server error.
    with pytest.raises(ValidationError):
        services.workshop_cancel(workshop=workshop, actor=company_user_a, reason="weg\x00")
    workshop.refresh_from_db()
    assert workshop.state != State.CANCELLED
    services.workshop_cancel(workshop=workshop, actor=company_user_a)
    workshop.refresh_from_db()
    assert workshop.state == State.CANCELLED
    booked = scheduled(company_a, module, project_manager, future(4))
    _refused("state", lambda: services.workshop_cancel(workshop=booked, actor=company_user_a))


def test_minutes_only_after_the_workshop_and_owner_of_own_company(
    company_a, company_b, module, project_manager
):
    workshop = scheduled(company_a, module, project_manager, future(3))
    with pytest.raises(WorkshopError):
        services.minutes_save(workshop=workshop, actor=project_manager, agenda="x")
    with pytest.raises(WorkshopError) as info:
        services.workshop_mark_held(workshop=workshop, actor=project_manager)
    assert info.value.code == "future"
    done = held(add_company("Gamma GmbH"), module, project_manager, future(10), now=future(11))
    with pytest.raises(WorkshopError):
        services.action_item_create(
            workshop=done, actor=project_manager, title="x", owner=company_b.contacts.first()
        )
    assert not ActionItem.objects.exists()
    with pytest.raises(WorkshopError) as info:
        services.workshop_document(workshop=done, actor=project_manager)
    assert info.value.code == "empty"


def test_company_user_cannot_tick_off_another_companys_item(
    company_a, company_user_b, module, project_manager
):
    workshop = held(company_a, module, project_manager, future(3), now=future(4))
    item = services.action_item_create(workshop=workshop, actor=project_manager, title="x")
    with pytest.raises(WorkshopError):
        services.action_item_mark_done(item=item, actor=company_user_b)
    item.refresh_from_db()
    assert item.state == ActionItem.State.OPEN


def test_only_project_managers_schedule(company_a, module, cluster_manager, company_user_a):
    workshop = request_for(company_a, module)
    for actor in (cluster_manager, company_user_a):
        _refused(
            "role",
            lambda a=actor: services.workshop_schedule(
                workshop=workshop, actor=a, project_manager=a, starts_at=future(3)
            ),
        )


def test_booking_checks_of_other_apps_can_refuse_and_held_signal_fires(
    company_a, company_user_a, module, project_manager
):
    from django.core.exceptions import ValidationError

    from sefex import hooks

    seen = []

    def no_declaration(*, workshop, starts_at, ends_at, actor):
        raise ValidationError("Es liegt keine aktuelle De-minimis-Erklärung vor.")

    def record(sender, workshop, actor, **kwargs):
        seen.append((workshop.pk, workshop.state, workshop.held_on, actor))

    workshop = proposed(company_a, module, project_manager, [future(3), future(4)])
    hooks.register_booking_check(no_declaration, key="test")
    try:
        before = _snapshot()
        with pytest.raises(ValidationError, match="De-minimis"):
            services.slot_choose(
                slot_id=workshop.slots.first().pk, workshop_id=workshop.pk, actor=company_user_a
            )
        assert _snapshot() == before
    finally:
        hooks.unregister_booking_check("test")
    booked = services.slot_choose(
        slot_id=workshop.slots.first().pk, workshop_id=workshop.pk, actor=company_user_a
    )
    hooks.workshop_held.connect(record)
    try:
        services.workshop_mark_held(workshop=booked, actor=project_manager, now=booked.ends_at)
    finally:
        hooks.workshop_held.disconnect(record)
    assert seen == [(booked.pk, State.HELD, timezone.localdate(booked.starts_at), project_manager)]
