"""No double booking under real concurrency (threads, each with its own PostgreSQL connection),
and the database's own refusal of an overlapping row however it is written."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from core.roles import Role
from members.services import user_create
from sefex import services
from sefex.models import Workshop
from sefex.services import SlotTaken
from tests.concurrency import run_together

from ..conftest import PASSWORD
from .conftest import add_company, future, proposed, request_for

State = Workshop.State
SLOT_TAKEN_DE = "Dieser Termin ist leider gerade vergeben worden. Bitte wählen Sie einen anderen."


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("companies", [2, 6])
def test_companies_choosing_the_same_slot_at_once_get_it_once(module, project_manager, companies):
    assert connection.vendor == "postgresql"
    same = future(7, hour=9)
    workshops = [
        proposed(
            add_company(f"Firma{i} GmbH"), module, project_manager, [same, future(8 + i, hour=13)]
        )
        for i in range(companies)
    ]
    slot_of = {w.pk: w.slots.get(starts_at=same).pk for w in workshops}
    # Each company's own portal user makes the choice.
    user_of = {
        w.pk: user_create(
            email=f"u{i}@firma.example",
            role=Role.COMPANY_USER,
            company=w.company,
            password=PASSWORD,
        )
        for i, w in enumerate(workshops)
    }

    def choose(workshop):
        with translation.override("de"):
            try:
                return services.slot_choose(
                    slot_id=slot_of[workshop.pk],
                    workshop_id=workshop.pk,
                    actor=user_of[workshop.pk],
                )
            except SlotTaken as error:
                error.german = str(error.messages[0])
                raise

    outcomes = run_together(choose, workshops)
    won = [result for _item, result in outcomes if isinstance(result, Workshop)]
    lost = [result for _item, result in outcomes if not isinstance(result, Workshop)]
    assert len(won) == 1
    assert len(lost) == companies - 1
    assert all(isinstance(error, SlotTaken) and error.code == "slot_taken" for error in lost)
    assert all(error.german == SLOT_TAKEN_DE for error in lost)
    # The table agrees: one booking at that time, the others still waiting for a choice.
    assert Workshop.objects.filter(state=State.SCHEDULED, starts_at=same).count() == 1
    assert Workshop.objects.filter(state=State.SLOTS_PROPOSED).count() == companies - 1
    for workshop in Workshop.objects.filter(state=State.SLOTS_PROPOSED):
        assert workshop.slots.count() == 2  # the loser's proposals are untouched


@pytest.mark.django_db(transaction=True)
def test_one_company_two_managers_same_time_only_one_booking(
    module, project_manager, other_manager
):
    company = add_company("Doppel GmbH")
    same = future(5, hour=9)
    first = request_for(company, module)
    second = request_for(company, module)

    def book(pair):
        workshop, manager = pair
        return services.workshop_schedule(
            workshop=workshop, actor=manager, project_manager=manager, starts_at=same
        )

    outcomes = run_together(book, [(first, project_manager), (second, other_manager)])
    results = [r for _i, r in outcomes]
    assert sum(isinstance(r, Workshop) for r in results) == 1
    assert sum(isinstance(r, SlotTaken) for r in results) == 1
    assert Workshop.objects.filter(company=company, state=State.SCHEDULED).count() == 1


def _insert(company, module, manager, start, hours=4, state=State.SCHEDULED):
    # Straight to the table, past every service check: only the database can refuse this.
    return Workshop.objects.create(
        programme=module.programme,
        company=company,
        module=module,
        project_manager=manager,
        state=state,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
    )


@pytest.mark.django_db(transaction=True)
def test_database_refuses_an_overlapping_row_for_the_same_manager(module, project_manager):
    assert connection.vendor == "postgresql"
    _insert(add_company("Erste GmbH"), module, project_manager, future(3, hour=9))
    with (
        pytest.raises(IntegrityError, match="sefex_workshop_manager_no_overlap"),
        transaction.atomic(),
    ):
        _insert(add_company("Zweite GmbH"), module, project_manager, future(3, hour=12))
    # Back to back is no overlap ([) ranges), and cancelled or open rows occupy no time.
    _insert(add_company("Dritte GmbH"), module, project_manager, future(3, hour=13))
    _insert(
        add_company("Vierte GmbH"),
        module,
        project_manager,
        future(3, hour=10),
        state=State.CANCELLED,
    )
    assert Workshop.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_database_refuses_an_overlapping_row_for_the_same_company(
    module, project_manager, other_manager
):
    company = add_company("Eine GmbH")
    _insert(company, module, project_manager, future(3, hour=9))
    with (
        pytest.raises(IntegrityError, match="sefex_workshop_company_no_overlap"),
        transaction.atomic(),
    ):
        _insert(company, module, other_manager, future(3, hour=11))
    # Updating an existing row into the overlap is refused too.
    other = _insert(company, module, other_manager, future(4, hour=9))
    other.starts_at, other.ends_at = future(3, hour=8), future(3, hour=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()
