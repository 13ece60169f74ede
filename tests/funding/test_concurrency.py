"""Two companies of one single undertaking book at the same moment through different project
managers (so SEFEX's own row locks do not serialise them) with room for one workshop under the
ceiling: exactly one booking succeeds. Real threads, each with its own PostgreSQL connection."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from core.roles import Role
from funding import services as funding
from members.services import user_create
from sefex import services as sefex
from sefex.models import Workshop
from tests.concurrency import run_together

from ..conftest import PASSWORD
from .conftest import add_company, declare, future


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("companies", [2, 4])
def test_linked_companies_booking_at_once_never_exceed_the_ceiling(module, companies):
    assert connection.vendor == "postgresql"
    holding = add_company("Holding GmbH")
    managers, workshops = [], []
    for i in range(companies):
        manager = user_create(
            email=f"pm{i}@example.org", role=Role.PROJECT_MANAGER, password=PASSWORD
        )
        company = add_company(f"Tochter{i} GmbH")
        funding.control_link_add(controlling=holding, controlled=company, actor=manager)
        declare(company, manager)
        managers.append(manager)
        workshops.append(sefex.workshop_request(actor=manager, company=company, module=module))
    # 299,600.00 declared by the holding: room for exactly one 400.00 workshop.
    declare(holding, managers[0], prior=[(timezone.localdate() - timedelta(days=100), "299600.00")])

    def book(index):
        return sefex.workshop_schedule(
            workshop=workshops[index],
            actor=managers[index],
            project_manager=managers[index],
            starts_at=future(7, hour=9),
        )

    outcomes = run_together(book, list(range(companies)))
    booked = [r for _, r in outcomes if isinstance(r, Workshop)]
    refused = [r for _, r in outcomes if isinstance(r, ValidationError)]
    assert len(booked) == 1, outcomes
    assert len(refused) == companies - 1
    assert all(e.code == "ceiling" for e in refused)
    assert Workshop.objects.filter(state=Workshop.State.SCHEDULED).count() == 1
