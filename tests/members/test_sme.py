"""SME classification (EU Recommendation 2003/361/EC): every boundary, through the service."""

from decimal import Decimal as D

import pytest

from members import sme
from members.models import Company, SmeClass
from members.selectors import companies_by_sme_class, sme_class_at
from members.services import sme_figures_save, sme_holding_add

M = D(1_000_000)
EPS = D("0.01")


def classify(staff, turnover, balance, public=D(0)):
    return sme.size_class(sme.Figures(D(staff), D(turnover), D(balance)), D(public))


@pytest.mark.parametrize(
    ("staff", "turnover", "balance", "expected"),
    [
        # staff boundaries (money well inside the micro limits)
        ("9", M, M, SmeClass.MICRO),
        ("9.99", M, M, SmeClass.MICRO),
        ("10", M, M, SmeClass.SMALL),
        ("49", M, M, SmeClass.SMALL),
        ("49.99", M, M, SmeClass.SMALL),
        ("50", M, M, SmeClass.MEDIUM),
        ("249", M, M, SmeClass.MEDIUM),
        ("249.99", M, M, SmeClass.MEDIUM),
        ("250", M, M, SmeClass.LARGE),
        # micro: turnover OR balance sheet <= EUR 2 m
        ("5", 2 * M, 5 * M, SmeClass.MICRO),
        ("5", 2 * M + EPS, 2 * M + EPS, SmeClass.SMALL),
        ("5", 5 * M, 2 * M, SmeClass.MICRO),
        ("5", 5 * M, 2 * M + EPS, SmeClass.SMALL),
        # small: <= EUR 10 m
        ("20", 10 * M, 60 * M, SmeClass.SMALL),
        ("20", 10 * M + EPS, 10 * M + EPS, SmeClass.MEDIUM),
        ("20", 60 * M, 10 * M, SmeClass.SMALL),
        ("20", 60 * M, 10 * M + EPS, SmeClass.MEDIUM),
        # medium: turnover <= EUR 50 m OR balance sheet <= EUR 43 m
        ("100", 50 * M, 100 * M, SmeClass.MEDIUM),
        ("100", 50 * M + EPS, 43 * M + EPS, SmeClass.LARGE),
        ("100", 100 * M, 43 * M, SmeClass.MEDIUM),
        ("100", 100 * M, 43 * M + EPS, SmeClass.LARGE),
    ],
)
def test_size_class_boundaries(staff, turnover, balance, expected):
    assert classify(staff, turnover, balance) == expected


def test_public_share_of_25_percent_makes_a_large_enterprise():
    assert classify(3, M, M, public=D("24.99")) == SmeClass.MICRO
    assert classify(3, M, M, public=D(25)) == SmeClass.LARGE


def test_partner_pro_rata_and_linked_in_full():
    own = sme.Figures(D(6), M, M)
    other = sme.Figures(D(20), 4 * M, 4 * M)
    # 25 %: a partner; adds 5 work units -> 11: small
    partner = sme.aggregate(own, [sme.Holding("partner", D(25), other)])
    assert partner == sme.Figures(D(11), 2 * M, 2 * M)
    assert sme.size_class(partner) == SmeClass.SMALL
    # below 25 % the enterprise stays autonomous
    autonomous = sme.aggregate(own, [sme.Holding("partner", D("24.99"), other)])
    assert autonomous == own
    # linked: 100 % whatever the share
    linked = sme.aggregate(own, [sme.Holding("linked", D(60), other)])
    assert linked == sme.Figures(D(26), 5 * M, 5 * M)


def test_two_period_rule():
    m, s, md, lg = SmeClass.MICRO, SmeClass.SMALL, SmeClass.MEDIUM, SmeClass.LARGE
    # one year above the limit changes nothing; the second consecutive one does
    assert sme.effective_classes([(2020, m), (2021, s), (2022, m)]) == {
        2020: m,
        2021: m,
        2022: m,
    }
    assert sme.effective_classes([(2020, m), (2021, s), (2022, s)]) == {
        2020: m,
        2021: m,
        2022: s,
    }
    # two years above: moves only as far as both years reached
    assert sme.effective_classes([(2020, m), (2021, md), (2022, s)])[2022] == s
    # down the same way
    assert sme.effective_classes([(2020, lg), (2021, md), (2022, md)]) == {
        2020: lg,
        2021: lg,
        2022: md,
    }
    # a gap between years breaks the sequence
    assert sme.effective_classes([(2019, m), (2020, s), (2022, s)])[2022] == m


def _company(name, **kwargs):
    return Company.objects.create(legal_name=name, **kwargs)


@pytest.mark.django_db
def test_service_stores_the_class_after_two_years():
    company = _company("Wachstum GmbH")
    sme_figures_save(
        company=company, fiscal_year=2022, staff_units=D(9), turnover=M, balance_sheet=M
    )
    company.refresh_from_db()
    assert company.sme_class == SmeClass.MICRO
    year = sme_figures_save(
        company=company, fiscal_year=2023, staff_units=D(10), turnover=M, balance_sheet=M
    )
    assert (year.size_class, year.sme_class) == (SmeClass.SMALL, SmeClass.MICRO)
    company.refresh_from_db()
    assert company.sme_class == SmeClass.MICRO
    sme_figures_save(
        company=company, fiscal_year=2024, staff_units=D(12), turnover=M, balance_sheet=M
    )
    company.refresh_from_db()
    assert company.sme_class == SmeClass.SMALL
    assert list(companies_by_sme_class(Company.objects.all(), [SmeClass.SMALL])) == [company]
    from datetime import date

    assert sme_class_at(company, date(2024, 3, 1)) == SmeClass.MICRO  # 2023's class
    assert sme_class_at(company, date(2025, 3, 1)) == SmeClass.SMALL


@pytest.mark.django_db
def test_linked_directory_company_counts_in_full_and_updates_the_holder():
    parent = _company("Mutter Holding GmbH")
    child = _company("Tochter Zerspanung GmbH")
    figures = sme_figures_save(
        company=parent, fiscal_year=2024, staff_units=D(8), turnover=M, balance_sheet=M
    )
    sme_figures_save(company=child, fiscal_year=2024, staff_units=D(2), turnover=M, balance_sheet=M)
    sme_holding_add(
        figures=figures, kind="linked", direction="holds", share=D(60), other_company=child
    )
    parent.refresh_from_db()
    assert parent.sme_class == SmeClass.SMALL  # 8 + 2 = 10 work units
    # The child's figures grow: the parent's class follows.
    sme_figures_save(
        company=child, fiscal_year=2024, staff_units=D(50), turnover=M, balance_sheet=M
    )
    parent.refresh_from_db()
    assert parent.sme_class == SmeClass.MEDIUM


@pytest.mark.django_db
def test_partner_holding_of_25_percent_through_the_service():
    company = _company("Partner GmbH")
    figures = sme_figures_save(
        company=company, fiscal_year=2024, staff_units=D(6), turnover=M, balance_sheet=M
    )
    sme_holding_add(
        figures=figures,
        kind="partner",
        direction="held_by",
        share=D("24.99"),
        other_name="Investor AG",
        staff_units=D(20),
        turnover=4 * M,
        balance_sheet=4 * M,
    )
    company.refresh_from_db()
    assert company.sme_class == SmeClass.MICRO
    sme_holding_add(
        figures=figures,
        kind="partner",
        direction="held_by",
        share=D(25),
        other_name="Beteiligung KG",
        staff_units=D(20),
        turnover=4 * M,
        balance_sheet=4 * M,
    )
    company.refresh_from_db()
    assert company.sme_class == SmeClass.SMALL


@pytest.mark.django_db
def test_public_share_through_the_service():
    company = _company("Stadtwerk-Tochter GmbH")
    sme_figures_save(
        company=company,
        fiscal_year=2024,
        staff_units=D(5),
        turnover=M,
        balance_sheet=M,
        public_share=D(25),
    )
    company.refresh_from_db()
    assert company.sme_class == SmeClass.LARGE
