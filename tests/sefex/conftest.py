"""Fixtures of the SEFEX tests: a programme with its modules, a second project manager, helpers
that bring a workshop into a given state through the services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.roles import Role
from members.models import Company
from members.services import user_create
from sefex import services
from sefex.models import Module, Programme, Workshop
from tests.factories import company_with_contacts

from ..conftest import PASSWORD


@pytest.fixture
def programme(db):
    programme = Programme.objects.create(
        name="SEFEX Test",
        funding_start=date(2017, 1, 1),
        funding_end=date(2030, 12, 31),
        planned_workshops=20,
        hourly_value=Decimal("120.00"),
    )
    for position, name in enumerate(["Strategisches Management", "Effizienz", "Expansion"]):
        Module.objects.create(programme=programme, name=name, position=position)
    return programme


@pytest.fixture
def module(programme):
    return programme.modules.order_by("position").first()


@pytest.fixture
def other_manager(db):
    return user_create(email="pm2@example.org", role=Role.PROJECT_MANAGER, password=PASSWORD)


def future(days=7, hour=9) -> timezone.datetime:
    """A whole hour `days` ahead in Berlin time."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour, 0))


def add_company(name: str, contacts: int = 2) -> Company:
    return company_with_contacts(name, contacts=contacts, person="P", city="Heilbronn")


def request_for(company, module, actor=None) -> Workshop:
    return services.workshop_request(actor=actor, company=company, module=module)


def proposed(company, module, manager, starts, invite=()) -> Workshop:
    workshop = request_for(company, module)
    services.slots_propose(
        workshop=workshop,
        actor=manager,
        project_manager=manager,
        starts=starts,
        invite=list(invite),
    )
    workshop.refresh_from_db()
    return workshop


def scheduled(company, module, manager, start) -> Workshop:
    workshop = request_for(company, module)
    return services.workshop_schedule(
        workshop=workshop, actor=manager, project_manager=manager, starts_at=start
    )


def held(company, module, manager, start, now) -> Workshop:
    """Booked at `start` (still ahead), then marked held as seen from `now` (after it)."""
    workshop = scheduled(company, module, manager, start)
    return services.workshop_mark_held(workshop=workshop, actor=manager, now=now)


@pytest.fixture
def contacts_a(company_a):
    contacts = list(company_a.contacts.order_by("pk"))
    for index, contact in enumerate(contacts):
        contact.email = f"person{index}@alpha.example"
        contact.save()
    return contacts
