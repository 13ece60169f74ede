"""Writes that race: real threads, each with its own PostgreSQL connection."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from members.models import Cluster, Company, Relationship, SmeFigures
from members.services import relationship_start, sme_figures_save
from tests.concurrency import results_and_errors

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_same_year_saved_at_once_gives_one_row_and_a_consistent_class():
    assert connection.vendor == "postgresql"
    company = Company.objects.create(legal_name="Parallel GmbH")
    staff_values = [D(5 + 10 * i) for i in range(THREADS)]
    results, errors = results_and_errors(
        lambda staff: sme_figures_save(
            company=company,
            fiscal_year=2024,
            staff_units=staff,
            turnover=D(1_000_000),
            balance_sheet=D(1_000_000),
        ),
        staff_values,
    )
    assert errors == []
    figures = SmeFigures.objects.get(company=company, fiscal_year=2024)
    company.refresh_from_db()
    # the stored class belongs to the figures that won, not to a mix
    from members import sme

    expected = sme.size_class(
        sme.Figures(figures.staff_units, figures.turnover, figures.balance_sheet)
    )
    assert figures.sme_class == expected == company.sme_class


@pytest.mark.django_db(transaction=True)
def test_relationship_changes_at_once_leave_one_current_relationship():
    cluster = Cluster.objects.create(slug="metall-c", name="Metall C")
    company = Company.objects.create(legal_name="Wechsel GmbH")
    Relationship.objects.create(
        company=company, cluster=cluster, kind="prospect", valid_from=date(2020, 1, 1)
    )
    starts = [date(2021, 1, 1 + i) for i in range(THREADS)]
    results, errors = results_and_errors(
        lambda start: relationship_start(
            company=company, cluster=cluster, kind="member", valid_from=start
        ),
        starts,
    )
    # later starts win over the one before; earlier ones are refused with a message
    assert all(isinstance(e, ValidationError) for e in errors), errors
    current = Relationship.objects.filter(company=company, cluster=cluster, valid_to__isnull=True)
    assert current.count() == 1
    rows = list(Relationship.objects.filter(company=company).order_by("valid_from"))
    for before, after in zip(rows, rows[1:], strict=False):
        assert before.valid_to is not None and before.valid_to < after.valid_from


@pytest.mark.django_db(transaction=True)
def test_logins_made_at_once_for_one_person_or_one_address_give_one_login():
    from core.roles import Role
    from members.models import Contact, User
    from members.services import user_create

    company = Company.objects.create(legal_name="Parallel GmbH")
    person = Contact.objects.create(
        company=company, first_name="Pia", last_name="Parallel", email="pia@parallel.example"
    )
    results, errors = results_and_errors(
        lambda n: user_create(
            email=f"pia{n}@parallel.example", role=Role.COMPANY_USER, contact=person
        ),
        range(THREADS),
    )
    assert len(results) == 1 and len(errors) == THREADS - 1
    assert all(isinstance(error, ValidationError) for error in errors)
    namesakes = [
        Contact.objects.create(
            company=company, first_name=f"N{n}", last_name="Same", email="same@parallel.example"
        )
        for n in range(THREADS)
    ]
    results, errors = results_and_errors(
        lambda contact: user_create(email=contact.email, role=Role.COMPANY_USER, contact=contact),
        namesakes,
    )
    assert len(results) == 1 and all(isinstance(error, ValidationError) for error in errors)
    assert User.objects.filter(company=company).count() == 2
