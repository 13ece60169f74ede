"""Fixtures of the funding tests: a SEFEX programme that grants de-minimis aid (100 EUR per
consulting hour, no contribution, 4-hour workshops: 400 EUR each), and helpers that bring
workshops into a state through the SEFEX services."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from funding import regulations
from funding import services as funding
from funding.models import AidScheme, Regulation
from members.models import Company
from sefex import services as sefex
from sefex.models import Module, Programme
from tests.factories import CompanyFactory, ContactFactory

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def regulations_in_place(request):
    """Transactional tests (here and in other apps) empty every table, the regulations too."""
    if (
        "db" in request.fixturenames
        or "transactional_db" in request.fixturenames
        or any(m.name == "django_db" for m in request.node.iter_markers())
    ):
        request.getfixturevalue("transactional_db" if _is_transactional(request) else "db")
        regulations.ensure(Regulation)


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )


@pytest.fixture
def programme(db):
    programme = Programme.objects.create(
        name="SEFEX Förderung",
        funding_start=date(2017, 1, 1),
        funding_end=date(2030, 12, 31),
        hourly_value=Decimal("100.00"),
        company_contribution_per_hour=Decimal("0"),
        default_duration_hours=Decimal("4"),
    )
    Module.objects.create(programme=programme, name="Strategisches Management", position=0)
    AidScheme.objects.create(programme=programme, grantor="WFG Raum Heilbronn")
    return programme


@pytest.fixture
def module(programme):
    return programme.modules.get()


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=BERLIN)


def future(days: int = 7, hour: int = 9) -> datetime:
    return at(timezone.localdate() + timedelta(days=days), hour)


def add_company(name: str, contacts: int = 2) -> Company:
    company = CompanyFactory(legal_name=name, city="Heilbronn")
    for i in range(contacts):
        ContactFactory(company=company, first_name=f"P{i}", last_name=name.split()[0], email="")
    return company


def declare(company, actor, *, days_ago: int = 1, prior=()) -> None:
    funding.declaration_record(
        company=company,
        declared_on=timezone.localdate() - timedelta(days=days_ago),
        actor=actor,
        prior_aid=[
            {"grantor": "L-Bank", "granted_on": day, "amount": Decimal(amount), "legal_basis": "VO"}
            for day, amount in prior
        ],
    )


def schedule(company, module, manager, start):
    workshop = sefex.workshop_request(actor=manager, company=company, module=module)
    return sefex.workshop_schedule(
        workshop=workshop, actor=manager, project_manager=manager, starts_at=start
    )


def held(company, module, manager, start, *, participants=()):
    """Booked at `start` (ahead), participants set, then marked held as seen after it."""
    workshop = schedule(company, module, manager, start)
    if participants:
        sefex.workshop_update(workshop=workshop, actor=manager, participants=list(participants))
    return sefex.workshop_mark_held(
        workshop=workshop, actor=manager, now=start + timedelta(hours=5)
    )
