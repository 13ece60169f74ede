"""Headroom where decisions are made: a company sees its single undertaking's room under the
ceiling (the sums only, nothing of the other companies of its group) on its funding page and
where it requests a workshop, with the aid value of a workshop and how it is computed; the
project manager judging a request sees the room before and after it and the company's other
workshops. Outsiders see nothing of it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from funding import selectors
from funding.models import AidRecord, ControlLink
from sefex import services as sefex

from .conftest import add_company, declare, future, held


@pytest.fixture
def group(company_a, module, project_manager):
    """Alpha is controlled by a parent that got one workshop (400 EUR); Alpha got one too."""
    parent = add_company("Holding Geheim GmbH")
    ControlLink.objects.create(controlling=parent, controlled=company_a)
    for company, days in ((parent, 5), (company_a, 9)):
        declare(company, project_manager)
        held(company, module, project_manager, future(days))
    return parent


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_headroom_sums_the_single_undertaking(group, company_a):
    assessment = selectors.headroom(company_a.pk)
    assert assessment.total == Decimal("800.00")
    assert assessment.ceiling == Decimal("300000.00")
    assert assessment.room == Decimal("299200.00")
    # The same figure from the parent's side: one undertaking.
    assert selectors.headroom(group.pk).room == assessment.room


def test_company_sees_total_and_room_but_nothing_of_its_group(
    client, group, company_a, company_user_a
):
    parent_record = AidRecord.objects.get(company=group)
    client.force_login(company_user_a)
    for url in (reverse("funding:my"), reverse("sefex:request")):
        page = _text(client.get(url))
        assert 'data-figure="total">800,00 EUR' in page
        assert "<strong>299.200,00 EUR</strong>" in page
        assert "300.000,00 EUR" in page
        assert group.legal_name not in page
        assert parent_record.number not in page


def test_request_page_tells_the_aid_value_and_how_it_is_computed(
    client, company_a, company_user_a, module
):
    client.force_login(company_user_a)
    page = _text(client.get(reverse("sefex:request")))
    assert "Beihilfewert eines Workshops" in page
    assert (
        "4 Stunden × (100,00 EUR Wert je Beratungsstunde − 0,00 EUR Eigenanteil je Stunde) = "
        "<strong>400,00 EUR</strong>" in page
    )
    # No declaration yet: the page says it is needed before a booking, with the link.
    assert "De-minimis-Erklärung" in page and reverse("funding:my_declaration") in page


def test_outsider_sees_only_its_own_room(client, group, company_b, company_user_b):
    client.force_login(company_user_b)
    for url in (reverse("funding:my"), reverse("sefex:request")):
        page = _text(client.get(url))
        assert 'data-figure="total">0,00 EUR' in page
        assert "800,00" not in page and "299.200,00" not in page


def test_project_manager_judging_a_request_sees_room_value_and_history(
    client, group, company_a, module, project_manager, company_user_a, company_user_b
):
    earlier = company_a.sefex_workshops.get()
    request = sefex.workshop_request(actor=company_user_a, company=company_a, module=module)
    client.force_login(project_manager)
    page = _text(client.get(reverse("sefex:detail", args=[request.pk])))
    assert "Beihilfewert dieses Workshops" in page
    assert 'id="workshop-room-before">299.200,00 EUR' in page
    assert 'id="workshop-room-after">298.800,00 EUR' in page
    assert "Weitere Workshops von Alpha Präzisionstechnik GmbH" in page
    assert reverse("sefex:detail", args=[earlier.pk]) in page
    # The company itself sees neither the staff figures nor the history on its workshop page,
    # the outsider not even the page.
    client.force_login(company_user_a)
    own = _text(client.get(reverse("sefex:detail", args=[request.pk])))
    assert "workshop-room-before" not in own and 'id="company-history"' not in own
    client.force_login(company_user_b)
    assert client.get(reverse("sefex:detail", args=[request.pk])).status_code == 404


def test_workshop_aid_is_none_without_a_scheme(company_a, project_manager):
    from sefex.models import Module, Programme

    plain = Programme.objects.create(
        name="Ohne Beihilfe", funding_start="2020-01-01", funding_end="2035-12-31"
    )
    module = Module.objects.create(programme=plain, name="Allgemein")
    workshop = sefex.workshop_request(actor=project_manager, company=company_a, module=module)
    assert selectors.workshop_aid(workshop) is None


def test_headroom_queries_do_not_grow_with_the_group(
    company_a, module, project_manager, django_assert_num_queries
):
    # (Without any declaration in the group, the query for their prior aid is skipped.)
    declare(company_a, project_manager)
    for size in (0, 3):
        for index in range(size):
            member = add_company(f"Tochter {index} GmbH")
            ControlLink.objects.create(controlling=company_a, controlled=member)
            declare(member, project_manager)
            held(member, module, project_manager, future(20 + 2 * index))
        with django_assert_num_queries(8):
            outlook = selectors.company_aid_outlook(company_a.pk)
        assert outlook["headroom"].total == Decimal(400 * size)
        request = sefex.workshop_request(actor=project_manager, company=company_a, module=module)
        with django_assert_num_queries(8):
            aid = selectors.workshop_aid(request)
        assert aid.after.total == Decimal(400 * (size + 1))
