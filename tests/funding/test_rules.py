"""The de-minimis arithmetic, hand-computed. Rolling windows that start and end mid-year, fiscal
windows of 1407/2013, exactly at the ceiling (allowed) and one cent over (refused), later grants
whose window includes a new one, the 80 % warning, single undertakings and aid values."""

from datetime import date
from decimal import Decimal as D

import pytest

from funding import rules
from funding.rules import Grant

RULES = [
    rules.Rule("2023/2831", D("300000"), "rolling", date(2024, 1, 1), date(2030, 12, 31)),
    rules.Rule("1407/2013", D("200000"), "fiscal", date(2014, 1, 1), date(2023, 12, 31)),
]


@pytest.mark.parametrize(
    ("day", "window", "start"),
    [
        (date(2026, 3, 15), "rolling", date(2023, 3, 16)),
        (date(2026, 12, 31), "rolling", date(2024, 1, 1)),
        (date(2028, 2, 29), "rolling", date(2025, 3, 1)),
        (date(2019, 6, 15), "fiscal", date(2017, 1, 1)),
        (date(2019, 1, 1), "fiscal", date(2017, 1, 1)),
    ],
)
def test_window_start(day, window, start):
    assert rules.window_start(day, window) == start


def test_rule_for_picks_the_regulation_of_the_grant_date():
    assert rules.rule_for(date(2023, 12, 31), RULES).code == "1407/2013"
    assert rules.rule_for(date(2024, 1, 1), RULES).code == "2023/2831"
    assert rules.rule_for(date(2031, 1, 1), RULES) is None


# A rolling window that starts mid-March: 15.03.2023 is outside for a grant on 15.03.2026,
# 16.03.2023 inside.
OTHERS = [
    Grant(date(2023, 3, 15), D("150000.00")),
    Grant(date(2024, 6, 30), D("100000.00")),
    Grant(date(2025, 11, 30), D("100000.00")),
]


def test_rolling_window_starting_mid_year_exactly_at_the_ceiling_is_allowed():
    result = rules.assess(Grant(date(2026, 3, 15), D("100000.00")), OTHERS, RULES)
    # 100,000 (30.06.2024) + 100,000 (30.11.2025) + 100,000 (new) = 300,000.00
    assert result.total == D("300000.00")
    assert result.rule.code == "2023/2831"
    assert not result.exceeds
    assert result.room == D("0")
    assert result.warns


def test_one_cent_over_the_ceiling_is_refused():
    result = rules.assess(Grant(date(2026, 3, 15), D("100000.01")), OTHERS, RULES)
    assert result.total == D("300000.01")
    assert result.exceeds


def test_one_day_earlier_the_window_still_holds_the_old_grant():
    # Window 15.03.2023 .. 14.03.2026 includes the 150,000 of 15.03.2023: 450,000.
    result = rules.assess(Grant(date(2026, 3, 14), D("100000.00")), OTHERS, RULES)
    assert result.total == D("450000.00")
    assert result.exceeds


def test_window_ends_on_the_grant_day_mid_year():
    grants = [Grant(date(2025, 7, 14), D("10")), Grant(date(2025, 7, 15), D("20"))]
    assert rules.window_total(grants, date(2025, 7, 14), "rolling") == D("10")
    assert rules.window_total(grants, date(2025, 7, 15), "rolling") == D("30")


def test_fiscal_years_of_1407_2013():
    others = [Grant(date(2016, 12, 31), D("150000.00")), Grant(date(2017, 1, 1), D("100000.00"))]
    # 15.06.2019: fiscal years 2017, 2018, 2019 -> 100,000 + 100,000 = 200,000 (allowed)
    ok = rules.assess(Grant(date(2019, 6, 15), D("100000.00")), others, RULES)
    assert (ok.rule.code, ok.total, ok.exceeds) == ("1407/2013", D("200000.00"), False)
    over = rules.assess(Grant(date(2019, 6, 15), D("100000.01")), others, RULES)
    assert over.exceeds


def test_a_planned_later_grant_whose_window_includes_the_new_one_refuses_it():
    planned = [Grant(date(2026, 9, 1), D("250000.00"))]
    result = rules.assess(Grant(date(2026, 3, 1), D("60000.00")), planned, RULES)
    # The new grant's own window holds 60,000; the later one's 310,000.
    assert result.exceeds
    assert result.day == date(2026, 9, 1)
    assert result.total == D("310000.00")
    assert not rules.assess(Grant(date(2026, 3, 1), D("50000.00")), planned, RULES).exceeds


def test_warning_from_80_percent():
    assert rules.assess(Grant(date(2026, 1, 1), D("240000.00")), [], RULES).warns
    assert not rules.assess(Grant(date(2026, 1, 1), D("239999.99")), [], RULES).warns


def test_aid_value_is_hours_times_value_minus_contribution():
    assert rules.aid_value(D("4"), D("135.00"), D("20.00")) == D("460.00")
    assert rules.aid_value(D("3.5"), D("120.00"), D("0")) == D("420.00")
    assert rules.aid_value(D("4"), D("50.00"), D("60.00")) == D("0.00")


def test_single_undertakings_join_control_links_transitively_in_both_directions():
    groups = rules.groups([1, 4, 9], [(1, 2), (3, 2), (4, 5)])
    assert groups[1] == groups[2] == groups[3] == frozenset({1, 2, 3})
    assert groups[4] == frozenset({4, 5})
    assert groups[9] == frozenset({9})
