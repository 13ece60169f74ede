"""Free times offered for a request: inside the company's wished period, on workdays only (no
weekends, no public holidays of Baden-Württemberg, not on 24 or 31 December), and clickable:
ticking them fills the proposal."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from sefex import selectors, services, workdays
from sefex.models import Workshop

BERLIN = ZoneInfo("Europe/Berlin")
# A Tuesday two weeks before Christmas 2026 (Thursday 24 and 31 December).
TODAY = datetime(2026, 12, 1, 8, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 22), True),  # Tuesday
        (date(2026, 12, 24), False),  # Christmas Eve: customary day off
        (date(2026, 12, 25), False),  # Christmas Day
        (date(2026, 12, 31), False),  # New Year's Eve: customary day off
        (date(2027, 1, 6), False),  # Epiphany: a holiday in Baden-Württemberg
        (date(2027, 3, 26), False),  # Good Friday (moves with Easter)
        (date(2027, 5, 27), False),  # Corpus Christi: a holiday in Baden-Württemberg
        (date(2028, 10, 31), True),  # Reformation Day: no holiday in Baden-Württemberg
        (date(2026, 12, 19), False),  # Saturday
        (date(2026, 12, 20), False),  # Sunday
    ],
)
def test_workdays(day, expected):
    assert workdays.is_workday(day) is expected


@pytest.fixture
def tuesdays_and_thursdays(project_manager):
    for weekday in (1, 3):
        for start, end in ((time(9), time(13)), (time(13), time(17))):
            services.availability_rule_add(
                project_manager=project_manager,
                actor=project_manager,
                weekday=weekday,
                start_time=start,
                end_time=end,
                valid_from=date(2026, 1, 1),
            )


def _request(company, module, start, end) -> Workshop:
    return services.workshop_request(
        actor=None, company=company, module=module, preferred_from=start, preferred_until=end
    )


@time_machine.travel(TODAY, tick=False)
def test_free_times_lie_in_the_wished_period_on_workdays(
    company_a, module, project_manager, tuesdays_and_thursdays
):
    workshop = _request(company_a, module, date(2026, 12, 14), date(2026, 12, 31))
    found = selectors.free_slots_for(workshop, manager=project_manager)
    days = sorted({s.astimezone(BERLIN).date() for s in found})
    # Tue 15, Thu 17, Tue 22, Tue 29 December; not Thu 24 or Thu 31, nothing outside the period.
    assert days == [date(2026, 12, 15), date(2026, 12, 17), date(2026, 12, 22), date(2026, 12, 29)]
    assert [s.astimezone(BERLIN).hour for s in found[:2]] == [9, 13]


@time_machine.travel(TODAY, tick=False)
def test_without_a_wished_period_the_next_four_weeks_are_offered(
    company_a, module, project_manager, tuesdays_and_thursdays
):
    workshop = _request(company_a, module, None, None)
    window = selectors.proposal_window(workshop)
    assert (window.start, window.end, window.wished) == (
        date(2026, 12, 2),
        date(2026, 12, 30),
        False,
    )
    found = selectors.free_slots_for(workshop, manager=project_manager)
    assert found[0] == datetime(2026, 12, 3, 9, tzinfo=BERLIN)
    assert date(2026, 12, 24) not in {s.astimezone(BERLIN).date() for s in found}


@time_machine.travel(TODAY, tick=False)
def test_ticking_free_times_fills_the_proposal(
    client, company_a, module, project_manager, tuesdays_and_thursdays
):
    workshop = _request(company_a, module, date(2026, 12, 14), date(2026, 12, 31))
    url = reverse("sefex:propose", args=[workshop.pk])
    client.force_login(project_manager)
    page = client.get(url).content.decode()
    assert "Wunschzeitraum des Unternehmens: 14.12.2026 – 31.12.2026." in page
    assert 'name="free" value="2026-12-15T09:00"' in page
    assert "Di, 15.12.2026, 09:00–13:00" in page
    assert "24.12.2026" not in page
    response = client.post(
        url,
        {
            "free": ["2026-12-15T09:00", "2026-12-17T13:00"],
            "project_manager": project_manager.pk,
            "duration_hours": "4",
        },
    )
    assert response.status_code == 302
    starts = list(workshop.slots.order_by("starts_at").values_list("starts_at", flat=True))
    assert starts == [
        datetime(2026, 12, 15, 9, tzinfo=BERLIN),
        datetime(2026, 12, 17, 13, tzinfo=BERLIN),
    ]


@time_machine.travel(TODAY, tick=False)
def test_a_time_not_offered_or_a_single_one_is_refused_with_a_message(
    client, company_a, module, project_manager, tuesdays_and_thursdays
):
    workshop = _request(company_a, module, date(2026, 12, 14), date(2026, 12, 31))
    url = reverse("sefex:propose", args=[workshop.pk])
    client.force_login(project_manager)
    base = {"project_manager": project_manager.pk, "duration_hours": "4"}
    response = client.post(url, {**base, "free": ["2026-12-24T09:00", "2026-12-15T09:00"]})
    assert response.status_code == 200
    assert "nicht mehr frei" in response.content.decode()
    response = client.post(url, {**base, "free": ["2026-12-15T09:00"]})
    assert response.status_code == 200
    assert "zwei oder drei" in response.content.decode()
    # A ticked time and a typed one make a proposal too.
    assert not workshop.slots.exists()
    response = client.post(
        url, {**base, "free": ["2026-12-15T09:00"], "slot_1": "2026-12-18T10:00"}
    )
    assert response.status_code == 302
    assert workshop.slots.count() == 2


@time_machine.travel(TODAY, tick=False)
def test_no_free_time_says_so_and_the_typed_fields_remain(
    client, company_a, module, project_manager
):
    workshop = _request(company_a, module, date(2026, 12, 14), date(2026, 12, 31))
    client.force_login(project_manager)
    page = client.get(reverse("sefex:propose", args=[workshop.pk])).content.decode()
    assert "Sie haben in diesem Zeitraum keine freie Zeit." in page
    assert 'name="free"' not in page and 'name="slot_1"' in page
