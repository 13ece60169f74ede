"""SME figures of groups by the annex of Recommendation 2003/361/EC: linked enterprises through
chains (Art. 3(3)), partners with their linked enterprises (Art. 6(2)-(3)), no partners of
partners, the investor exceptions (Art. 3(2)), consolidated accounts, one reference year
(Art. 4(1)) and the two-period rule (Art. 4(2)); through the services, seen from each member."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from members import sme, sme_group
from members.models import Company, SmeClass, SmeFigures
from members.services import sme_figures_save, sme_holding_add
from members.sme_selectors import sme_explanation
from tests.funding.test_certificate import pdf_text

M = D(1_000_000)
pytestmark = pytest.mark.django_db


def company(name, year=2024, staff=1, turnover=M, balance=M, **kwargs):
    c = Company.objects.create(legal_name=name)
    sme_figures_save(
        company=c,
        fiscal_year=year,
        staff_units=D(staff),
        turnover=turnover,
        balance_sheet=balance,
        **kwargs,
    )
    return c


def hold(holder, held, share, kind="linked", year=2024, **kwargs):
    """`holder` holds `share` % of `held`, recorded on the holder's year."""
    figures = SmeFigures.objects.get(company=holder, fiscal_year=year)
    return sme_holding_add(
        figures=figures,
        kind=kind,
        direction="holds",
        share=D(share),
        other_company=held,
        **kwargs,
    )


def staff(c, year=2024):
    return sme_explanation(c).year(year).result.total.staff_units


def cls(c):
    c.refresh_from_db()
    return c.sme_class


def test_chain_of_three_each_counts_all_three():
    """Art. 3(3) last subparagraph: linked through another linked enterprise is linked."""
    a, b, c = company("A", staff=4), company("B", staff=3), company("C", staff=5)
    hold(a, b, 60)
    hold(b, c, 60)
    for member in (a, b, c):
        assert staff(member) == 12
        assert cls(member) == SmeClass.SMALL


def test_control_by_board_or_contract_links_below_half_of_the_votes():
    """Art. 3(3)(b)-(d): control need not be a majority of the votes."""
    a, b = company("A", staff=6), company("B", staff=6)
    with pytest.raises(ValidationError):
        hold(a, b, 40)  # linked at 40 % without saying how: refused
    with pytest.raises(ValidationError):
        hold(a, b, 40, control="votes")  # 40 % is no majority of the votes
    with pytest.raises(ValidationError):
        hold(a, b, 60, kind="partner")  # more than 50 % is control, not partnership
    hold(a, b, 40, control="board")
    assert staff(a) == staff(b) == 12


def test_partner_that_controls_a_third_company_counts_with_it():
    """Art. 6(2)-(3): a partner's figures include 100 % of its linked enterprises."""
    s, p, q = company("S", staff=4), company("P", staff=10), company("Q", staff=20)
    hold(p, s, 30, kind="partner")
    hold(p, q, 80)
    # S: own 4 + 30 % of (P 10 + Q 20) = 13
    assert staff(s) == 13
    assert cls(s) == SmeClass.SMALL
    partner = next(
        line for line in sme_explanation(s).year(2024).result.lines if line.role == "partner"
    )
    assert partner.share == 30 and set(partner.members) == {p.pk, q.pk}


def test_partner_of_a_partner_is_not_added():
    """Art. 6(2): only partners immediately up- or downstream count."""
    s, p, r = company("S", staff=5), company("P", staff=10), company("R", staff=100)
    hold(p, s, 30, kind="partner")
    hold(r, p, 40, kind="partner")
    assert staff(s) == 8  # 5 + 30 % of 10; R is P's partner, not S's
    assert staff(p) == D("51.5")  # P: 10 + 40 % of R + 30 % of S


def test_partners_of_a_linked_enterprise_count_pro_rata():
    """Art. 6(3) second subparagraph: a linked enterprise brings its own partners pro rata."""
    a, b, p = company("A", staff=4), company("B", staff=4), company("P", staff=20)
    hold(a, b, 100)
    hold(p, b, 25, kind="partner")
    assert staff(a) == staff(b) == 13  # 4 + 4 + 25 % of 20


def test_circular_holding_counts_each_enterprise_once():
    half = M / 2
    a, b, c = (company(n, staff=3, turnover=half, balance=half) for n in "ABC")
    hold(a, b, 60)
    hold(b, c, 60)
    hold(c, a, 51)
    for member in (a, b, c):
        assert staff(member) == 9
        assert cls(member) == SmeClass.MICRO


def test_a_group_seen_from_each_member():
    """Parent A controls B and C; B has partner P (30 %) which controls Q; A has an outside
    partner X entered with figures; P holds 30 % of B, so B's group is P's partner."""
    a, b, c = company("A", staff=10), company("B", staff=20), company("C", staff=5)
    p, q = company("P", staff=10), company("Q", staff=30)
    hold(a, b, 75)
    hold(a, c, 55)
    hold(p, b, 30, kind="partner")
    hold(p, q, 60)
    sme_holding_add(
        figures=SmeFigures.objects.get(company=a, fiscal_year=2024),
        kind="partner",
        direction="held_by",
        share=D(40),
        other_name="Familie Beteiligungs GmbH",
        staff_units=D(10),
        turnover=M,
        balance_sheet=M,
    )
    # A, B and C: 10 + 20 + 5 + 30 % of (P + Q) = 47 + 40 % of X = 51 -> medium, all three
    for member in (a, b, c):
        assert staff(member) == 51
        assert cls(member) == SmeClass.MEDIUM
    # P and Q: 10 + 30 + 30 % of (A + B + C) = 50.5; A's partner X is a partner of a partner
    for member in (p, q):
        assert staff(member) == D("50.5")
        assert cls(member) == SmeClass.MEDIUM


def test_holding_entered_on_both_sides_counts_once():
    a, b = company("A", staff=4), company("B", staff=4)
    hold(a, b, 30, kind="partner")
    sme_holding_add(
        figures=SmeFigures.objects.get(company=b, fiscal_year=2024),
        kind="partner",
        direction="held_by",
        share=D(30),
        other_company=a,
    )
    assert staff(a) == D("5.2") and staff(b) == D("5.2")


def test_investor_exception_leaves_the_enterprise_autonomous():
    """Art. 3(2): up to 50 % held by e.g. venture capital, the enterprise stays autonomous."""
    s, vc = company("S", staff=8), company("Wagnis Kapital AG", staff=100)
    hold(vc, s, 50, kind="partner", investor_exception=True)
    assert staff(s) == 8
    assert cls(s) == SmeClass.MICRO
    ignored = [
        line for line in sme_explanation(s).year(2024).result.lines if line.role == "ignored"
    ]
    assert [(line.enterprise, line.note) for line in ignored] == [(vc.pk, "investor")]
    with pytest.raises(ValidationError):
        hold(vc, s, 60, investor_exception=True)  # with control the exception does not apply


def test_consolidated_accounts_replace_the_sum():
    """Art. 6(2): the group's consolidated accounts instead of adding the members' figures."""
    a = company("A", staff=40, consolidated=True)  # consolidates B: 40, not 30 + 15
    b = company("B", staff=15)
    hold(a, b, 100)
    assert staff(a) == staff(b) == 40
    assert cls(b) == SmeClass.SMALL
    roles = {line.role for line in sme_explanation(b).year(2024).result.lines}
    assert roles == {"consolidated"}


def test_figures_come_from_the_same_reference_year():
    """Art. 4(1): a linked enterprise's 2023 figures do not count for 2024."""
    a = company("A", staff=8)
    b = company("B", year=2023, staff=30)
    hold(a, b, 100)
    year = sme_explanation(a).year(2024)
    assert year.result.total.staff_units == 8
    assert year.result.missing == [b.pk]  # shown, not silently added


def test_two_period_rule_gives_the_group_one_class():
    """Art. 4(2): the class changes after two consecutive years; members with a different
    history of recorded years still get the group's class."""
    a = company("A", year=2022, staff=8)
    sme_figures_save(company=a, fiscal_year=2023, staff_units=D(8), turnover=M, balance_sheet=M)
    sme_figures_save(company=a, fiscal_year=2024, staff_units=D(8), turnover=M, balance_sheet=M)
    b = company("B", year=2024, staff=5)
    sme_figures_save(company=b, fiscal_year=2023, staff_units=D(5), turnover=M, balance_sheet=M)
    hold(a, b, 100, year=2023)
    hold(a, b, 100, year=2024)
    # 2022: 8 micro; 2023: 13 small (once); 2024: 13 small (twice) -> small from 2024
    assert [(y.year, y.sme_class) for y in sme_explanation(a).years] == [
        (2024, SmeClass.SMALL),
        (2023, SmeClass.MICRO),
        (2022, SmeClass.MICRO),
    ]
    assert cls(a) == cls(b) == SmeClass.SMALL


def test_pure_function_partner_group_reached_twice_counts_once():
    """Two members of a linked group both partners of P: P counts once, with both shares."""
    figures = {
        k: sme_group.Accounts(sme.Figures(D(n), M, M)) for k, n in {1: 1, 2: 1, 3: 10}.items()
    }
    edges = [
        sme_group.Edge(1, 2, "linked", D(100)),
        sme_group.Edge(1, 3, "partner", D(25)),
        sme_group.Edge(2, 3, "partner", D(25)),
    ]
    result = sme_group.aggregate_group(1, figures, edges)
    assert result.total.staff_units == 7  # 1 + 1 + 50 % of 10
    assert len([line for line in result.lines if line.role == "partner"]) == 1


def test_company_page_shows_how_the_class_was_reached(cm_client):
    s, p, q = (
        company("Stanz S GmbH", staff=4),
        company("P Holding", staff=10),
        company("Q AG", staff=20),
    )
    hold(p, s, 30, kind="partner")
    hold(p, q, 80)
    response = cm_client.get(f"/members/{s.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('id="sme-how-title"') :]
    assert "P Holding" in section and "Q AG" in section
    assert "13" in section  # 4 + 30 % of (10 + 20)
    assert f"/members/{s.pk}/kmu-erklaerung/2024.pdf" in section


def test_sme_declaration_pdf_for_staff_and_own_company_only(
    cm_client, a_client, b_client, company_a
):
    sme_figures_save(
        company=company_a, fiscal_year=2024, staff_units=D(3), turnover=M, balance_sheet=M
    )
    url = f"/members/{company_a.pk}/kmu-erklaerung/2024.pdf"
    for client in (cm_client, a_client):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    text = pdf_text(cm_client.get(url).content)
    assert "KMU-Erklärung" in text and company_a.legal_name in text
    assert "Eigene Daten" in text and "Kleinstunternehmen" in text
    assert b_client.get(url).status_code == 404  # another company's declaration
    assert cm_client.get(f"/members/{company_a.pk}/kmu-erklaerung/2019.pdf").status_code == 404


def test_recompute_command_fixes_a_stale_class_and_names_it():
    from io import StringIO

    from django.core.management import call_command

    a, b = company("A", staff=6), company("B", staff=6)
    hold(a, b, 100)
    Company.objects.filter(pk=b.pk).update(sme_class=SmeClass.MICRO)  # as before the group rules
    out = StringIO()
    call_command("sme_recompute", stdout=out)
    assert cls(b) == SmeClass.SMALL
    assert "B: micro -> small" in out.getvalue() and "1 changed" in out.getvalue()


def test_the_explanation_runs_the_same_queries_for_a_small_and_a_big_group():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members.sme_selectors import explain

    counts = []
    for size in (2, 6):
        members = [company(f"G{size}-{i}", staff=2) for i in range(size)]
        for holder, held in zip(members, members[1:], strict=False):
            hold(holder, held, 60)
        with CaptureQueriesContext(connection) as captured:
            explain([members[0].pk])
        counts.append(len(captured))
    assert counts[0] == counts[1] == 3
