"""The calendar and the request queue run a fixed number of queries, whatever they show."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.identity import identity_for
from sefex import services

from .conftest import add_company, future, proposed, request_for, scheduled


@pytest.fixture(autouse=True)
def _sender_cached(db):
    """Every page names the agency in its footer: configuration, read once, then cached."""
    identity_for()


# the page's own queries only: session, login and roles come from the cache (see each test)
CALENDAR_QUERIES = 3
QUEUE_QUERIES = 3


def _fill(module, manager, size, offset):
    """`size` requests, proposals and bookings in the week `offset` weeks ahead."""
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    base = (monday - timezone.localdate()).days + 7 * offset
    for index in range(size):
        company = add_company(f"Q{offset}x{index} GmbH")
        request_for(company, module)
        day = base + index % 5
        hour = 8 + (index // 5) * 5
        proposed(
            add_company(f"P{offset}x{index} GmbH"),
            module,
            manager,
            [future(day, hour=hour + 4 if hour + 4 < 20 else 7), future(day + 7, hour=hour)],
        )
        scheduled(company, module, manager, future(day, hour=hour))
    services.availability_exception_add(
        project_manager=manager, actor=manager, day=monday + timedelta(days=7 * offset + 5)
    )


@pytest.mark.parametrize("view", ["week", "month"])
def test_calendar_query_count_does_not_grow(
    client, module, project_manager, django_assert_num_queries, view
):
    client.force_login(project_manager)
    sizes = {}
    for offset, size in ((1, 2), (3, 8)):
        _fill(module, project_manager, size, offset)
        day = timezone.localdate() + timedelta(days=7 * offset)
        url = reverse("sefex:calendar") + f"?view={view}&date={day.isoformat()}"
        with django_assert_num_queries(CALENDAR_QUERIES) as captured:
            response = client.get(url)
        assert response.status_code == 200
        sizes[size] = response.content.decode().count("border-primary ps-1")
        assert len(captured) == CALENDAR_QUERIES
    assert sizes[2] >= 2 and sizes[8] >= 8  # the bigger week really shows more


def test_request_queue_query_count_does_not_grow(
    client, module, project_manager, django_assert_num_queries
):
    client.force_login(project_manager)
    shown = []
    for offset, size in ((1, 2), (3, 10)):
        for index in range(size):
            request_for(add_company(f"R{offset}x{index} GmbH"), module)
            proposed(
                add_company(f"S{offset}x{index} GmbH"),
                module,
                project_manager,
                [future(7 * offset + index, hour=8), future(7 * offset + index, hour=13)],
            )
        with django_assert_num_queries(QUEUE_QUERIES):
            response = client.get(reverse("sefex:queue"))
        assert response.status_code == 200
        shown.append(response.content.decode().count("/sefex/workshops/"))
    assert shown == [4, 24]


PORTAL_QUERIES = 5


def test_company_portal_query_count_does_not_grow(
    client, company_a, company_user_a, module, project_manager, django_assert_num_queries
):
    from .conftest import held

    client.force_login(company_user_a)
    counts = []
    for round_, size in ((0, 1), (1, 5)):
        for index in range(size):
            offset = 3 + 20 * round_ + 2 * index
            workshop = held(company_a, module, project_manager, future(offset), future(offset + 1))
            services.minutes_save(
                workshop=workshop, actor=project_manager, agenda="x", summary="Ergebnis"
            )
            services.action_item_create(workshop=workshop, actor=project_manager, title="t")
            services.assessment_save(
                workshop=workshop,
                actor=project_manager,
                strategy=2,
                market_access=3,
                product_portfolio=1,
                efficiency=4,
                organisation=2,
            )
            services.workshop_document(workshop=workshop, actor=project_manager)
        with django_assert_num_queries(PORTAL_QUERIES):
            page = client.get(reverse("sefex:portal")).content.decode()
        counts.append(page.count("<circle"))
    assert counts == [5, 30]


LIST_QUERIES = 1


def test_workshop_list_query_count_does_not_grow(
    client, module, project_manager, django_assert_num_queries
):
    client.force_login(project_manager)
    shown = []
    for round_, size in ((0, 2), (1, 9)):
        for index in range(size):
            scheduled(
                add_company(f"L{round_}x{index} GmbH"),
                module,
                project_manager,
                future(3 + 20 * round_ + index),
            )
        with django_assert_num_queries(LIST_QUERIES):
            response = client.get(reverse("sefex:list") + "?state=scheduled")
        shown.append(response.content.decode().count("/sefex/workshops/"))
    assert shown == [2, 11]
