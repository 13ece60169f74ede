"""Declarations, the booking check through SEFEX's hook (nothing written on refusal), linked
companies summed at the ceiling, and aid records made when a workshop is held."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from funding import aid_services
from funding import services as funding
from funding.models import AidRecord, ControlLink, Declaration
from members.models import Sector
from sefex import services as sefex
from sefex.models import Module, Programme, Workshop

from .conftest import add_company, declare, future, held, schedule

State = Workshop.State


def test_booking_without_declaration_is_refused_and_nothing_is_written(
    module, project_manager, company_a
):
    workshop = sefex.workshop_request(actor=project_manager, company=company_a, module=module)
    with pytest.raises(ValidationError) as error:
        sefex.workshop_schedule(
            workshop=workshop,
            actor=project_manager,
            project_manager=project_manager,
            starts_at=future(),
        )
    assert error.value.code == "no_declaration"
    workshop.refresh_from_db()
    assert (workshop.state, workshop.starts_at) == (State.REQUESTED, None)


def test_project_manager_records_the_declaration_on_the_companys_behalf(
    module, project_manager, company_a
):
    declare(company_a, project_manager)
    declaration = Declaration.objects.get(company=company_a)
    assert declaration.on_behalf
    assert declaration.recorded_by == project_manager
    workshop = schedule(company_a, module, project_manager, future())
    assert workshop.state == State.SCHEDULED


def test_company_user_declares_for_own_company_only(company_user_a, company_b):
    declare(company_user_a.company, company_user_a)
    assert not Declaration.objects.get(company=company_user_a.company).on_behalf
    with pytest.raises(ValidationError):
        declare(company_b, company_user_a)
    assert not Declaration.objects.filter(company=company_b).exists()


def test_declaration_dated_in_the_future_or_prior_aid_after_it_is_refused(
    project_manager, company_a
):
    with pytest.raises(ValidationError):
        declare(company_a, project_manager, days_ago=-1)
    with pytest.raises(ValidationError):
        declare(company_a, project_manager, days_ago=5, prior=[(timezone.localdate(), "10")])
    assert not Declaration.objects.exists()


def test_a_declaration_older_than_its_validity_is_not_current(module, project_manager, company_a):
    # Aid is granted at the booking (today), so a declaration is current for 365 days before
    # the booking day, whenever the workshop takes place: 365 days ago covers it, 366 do not.
    declare(company_a, project_manager, days_ago=365)
    schedule(company_a, module, project_manager, future(7))
    other = add_company("Gamma Guss GmbH")
    declare(other, project_manager, days_ago=366)
    workshop = sefex.workshop_request(actor=project_manager, company=other, module=module)
    with pytest.raises(ValidationError):
        sefex.workshop_schedule(
            workshop=workshop,
            actor=project_manager,
            project_manager=project_manager,
            starts_at=future(7, hour=14),
        )


def test_programme_without_aid_scheme_needs_no_declaration(project_manager, company_a):
    plain = Programme.objects.create(
        name="Ohne Beihilfe", funding_start=date(2020, 1, 1), funding_end=date(2030, 12, 31)
    )
    module = Module.objects.create(programme=plain, name="Info")
    workshop = schedule(company_a, module, project_manager, future())
    assert workshop.state == State.SCHEDULED
    workshop = sefex.workshop_mark_held(
        workshop=workshop, actor=project_manager, now=workshop.starts_at + timedelta(hours=5)
    )
    assert not AidRecord.objects.exists()


def _linked_pair(project_manager, prior_amount):
    """Alpha controls Beta; Alpha declared prior aid; each workshop is worth 400.00 EUR."""
    alpha, beta = add_company("Alpha Holding GmbH"), add_company("Beta Fertigung GmbH")
    funding.control_link_add(controlling=alpha, controlled=beta, actor=project_manager)
    granted = timezone.localdate() - timedelta(days=400)
    declare(alpha, project_manager, prior=[(granted, prior_amount)])
    declare(beta, project_manager)
    return alpha, beta


def test_linked_companies_are_summed_exactly_at_the_ceiling_is_allowed(module, project_manager):
    # 299,600.00 declared by Alpha + 400.00 for Beta's workshop = 300,000.00
    alpha, beta = _linked_pair(project_manager, "299600.00")
    workshop = schedule(beta, module, project_manager, future())
    assert workshop.state == State.SCHEDULED


def test_linked_companies_one_cent_over_the_ceiling_is_refused(module, project_manager):
    alpha, beta = _linked_pair(project_manager, "299600.01")
    workshop = sefex.workshop_request(actor=project_manager, company=beta, module=module)
    with pytest.raises(ValidationError) as error, translation.override("en"):
        sefex.workshop_schedule(
            workshop=workshop,
            actor=project_manager,
            project_manager=project_manager,
            starts_at=future(),
        )
    assert error.value.code == "ceiling"
    message = " ".join(error.value.messages)
    assert "300.000,01 EUR" in message and "300.000,00 EUR" in message
    workshop.refresh_from_db()
    assert workshop.state == State.REQUESTED and workshop.starts_at is None


def test_a_booked_workshop_counts_against_the_next_booking(module, project_manager):
    # 299,200.01 declared: the first 400 fits (299,600.01), the second would be 300,000.01.
    alpha, beta = _linked_pair(project_manager, "299200.01")
    schedule(alpha, module, project_manager, future(7))
    with pytest.raises(ValidationError):
        schedule(beta, module, project_manager, future(9))
    assert Workshop.objects.filter(state=State.SCHEDULED).count() == 1


def test_without_the_link_each_company_counts_alone(module, project_manager):
    alpha, beta = _linked_pair(project_manager, "299600.01")
    link = funding.control_link_end(
        link=ControlLink.objects.get(), actor=project_manager, ended_on=timezone.localdate()
    )
    assert schedule(beta, module, project_manager, future()).state == State.SCHEDULED
    assert ControlLink.objects.get() == link  # ended, still there


def test_control_links_refused_for_self_twice_and_for_company_users(
    project_manager, company_user_a, company_a, company_b
):
    with pytest.raises(ValidationError):
        funding.control_link_add(controlling=company_a, controlled=company_a, actor=project_manager)
    funding.control_link_add(controlling=company_a, controlled=company_b, actor=project_manager)
    with pytest.raises(ValidationError):
        funding.control_link_add(controlling=company_b, controlled=company_a, actor=project_manager)
    with pytest.raises(ValidationError):
        funding.control_link_end(
            link=ControlLink.objects.get(), actor=company_user_a, ended_on=timezone.localdate()
        )
    assert ControlLink.objects.count() == 1


def test_held_workshop_creates_the_aid_record(programme, module, project_manager, company_a):
    programme.hourly_value = Decimal("135.00")
    programme.company_contribution_per_hour = Decimal("20.00")
    programme.save()
    sector, _ = Sector.objects.update_or_create(
        number=6, defaults={"name": "Zerspanung", "wz2008": "25.62", "wz2025": "25.53"}
    )
    company_a.sectors.add(sector)
    # The record carries the company's own codes (the sector only groups them).
    company_a.wz2025, company_a.wz2008 = "25.53.0", "25.62"
    company_a.register_number = "HRB 123456"
    company_a.save()
    declare(company_a, project_manager)
    contacts = list(company_a.contacts.all())
    workshop = held(company_a, module, project_manager, future(), participants=contacts)
    record = AidRecord.objects.get(workshop=workshop)
    assert record.value == Decimal("460.00")  # 4 h x 135.00 - 4 h x 20.00
    assert record.contribution == Decimal("80.00")
    # Granted at the binding booking (today), certified when held (a week later).
    assert record.grant_date == timezone.localdate() < workshop.held_on == record.held_on
    assert record.number == f"DM-{workshop.held_on.year}-0001"
    assert record.regulation.code == "2023/2831"
    assert (record.nace_code, record.wz2008_code) == ("25.53", "25.62")
    assert record.company_identifier == "HRB 123456"
    assert record.grantor == "WFG Raum Heilbronn"
    assert record.participants == len(contacts)
    # A second call (e.g. a retried task) changes nothing.
    assert aid_services.aid_record_create(workshop=workshop) == record
    assert AidRecord.objects.count() == 1


def test_numbers_run_without_gaps(module, project_manager, company_a):
    declare(company_a, project_manager)
    first = held(company_a, module, project_manager, future(7))
    second = held(company_a, module, project_manager, future(8))
    numbers = sorted(AidRecord.objects.values_list("number", flat=True))
    year = first.held_on.year
    if second.held_on.year == year:
        assert numbers == [f"DM-{year}-0001", f"DM-{year}-0002"]
    else:
        assert numbers == [f"DM-{year}-0001", f"DM-{second.held_on.year}-0001"]


def test_without_an_applicable_regulation_the_booking_is_refused(
    module, project_manager, company_a
):
    from funding.models import Regulation

    declare(company_a, project_manager)
    # The grant date is the booking day (today): no regulation applies from today on.
    Regulation.objects.filter(code="2023/2831").update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    workshop = sefex.workshop_request(actor=project_manager, company=company_a, module=module)
    with pytest.raises(ValidationError) as error:
        sefex.workshop_schedule(
            workshop=workshop,
            actor=project_manager,
            project_manager=project_manager,
            starts_at=future(),
        )
    assert error.value.code == "no_regulation"
    workshop.refresh_from_db()
    assert workshop.state == State.REQUESTED
