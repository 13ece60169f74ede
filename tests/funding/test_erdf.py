"""ERDF figures, hand-computed: each enterprise once, with its SME class at the date of its first
support in the period; a class change between two workshops; hours, participants, forum
participants; drill-down to the evidence; the XLSX export."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from forums.models import Forum, Registration
from funding import selectors
from funding.models import AidRecord, Regulation
from members.models import Cluster, Contact, SmeClass, SmeFigures
from members.selectors import sme_class_at
from sefex.models import Workshop

from .conftest import BERLIN, add_company


def _figures(company, year, cls):
    SmeFigures.objects.create(
        company=company,
        fiscal_year=year,
        staff_units=Decimal(5),
        turnover=Decimal(1),
        balance_sheet=Decimal(1),
        size_class=cls,
        sme_class=cls,
    )


_numbers = iter(range(1, 1000))


def _record(company, module, manager, day, hours="4", participants=2):
    """A held workshop and its aid record, written directly (history as the report reads it)."""
    start = datetime(day.year, day.month, day.day, 9, tzinfo=BERLIN)
    workshop = Workshop.objects.create(
        programme=module.programme,
        company=company,
        module=module,
        state=Workshop.State.CLOSED,
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        held_on=day,
        duration_hours=Decimal(hours),
        project_manager=manager,
    )
    return AidRecord.objects.create(
        number=f"DM-T-{next(_numbers):04d}",
        workshop=workshop,
        company=company,
        regulation=Regulation.objects.get(code="2023/2831"),
        grant_date=day,
        held_on=day,
        grantor="WFG",
        instrument="Zuschuss",
        hours=Decimal(hours),
        hourly_value=Decimal("100"),
        contribution=Decimal("0"),
        value=Decimal(hours) * 100,
        company_name=company.legal_name,
        module_name=module.name,
        participants=participants,
    )


@pytest.fixture
def history(module, project_manager, settings):
    """Gamma: micro by its 2024 figures, small by 2025's; supported 03.2025 and 02.2026.
    Delta: medium, supported once in 06.2025. Epsilon: no figures, supported 12.2025."""
    gamma, delta, epsilon = (
        add_company("Gamma Guss GmbH"),
        add_company("Delta Draht GmbH"),
        add_company("Epsilon Ewig GmbH"),
    )
    _figures(gamma, 2024, SmeClass.MICRO)
    _figures(gamma, 2025, SmeClass.SMALL)
    _figures(delta, 2024, SmeClass.MEDIUM)
    records = {
        "gamma1": _record(gamma, module, project_manager, date(2025, 3, 1), participants=3),
        "gamma2": _record(
            gamma, module, project_manager, date(2026, 2, 1), hours="3.5", participants=1
        ),
        "delta": _record(delta, module, project_manager, date(2025, 6, 15), participants=2),
        "epsilon": _record(epsilon, module, project_manager, date(2025, 12, 31), participants=4),
    }
    return {"gamma": gamma, "delta": delta, "epsilon": epsilon, **records}


def test_same_enterprise_twice_is_counted_once_with_the_class_at_first_support(history):
    report = selectors.erdf_report(date(2025, 1, 1), date(2026, 12, 31))
    assert report["supported"] == 3
    # Gamma first supported 01.03.2025: class of fiscal year 2024 = micro (not small).
    assert report["by_class"] == {"micro": 1, "small": 0, "medium": 1, "large": 0}
    assert report["unknown_class"] == 1
    assert report["workshops"] == 4
    assert report["hours"] == Decimal("15.5")
    assert report["workshop_participants"] == 10
    assert report["aid_value"] == Decimal("1550")


def test_class_changes_between_two_workshops_each_period_takes_its_date(history):
    # 2026 alone: Gamma's first support in the period is 01.02.2026, class of 2025 = small.
    report = selectors.erdf_report(date(2026, 1, 1), date(2026, 12, 31))
    assert report["supported"] == 1
    assert report["by_class"]["small"] == 1 and report["by_class"]["micro"] == 0
    # The bulk rule agrees with members' own rule on both dates.
    assert sme_class_at(history["gamma"], date(2025, 3, 1)) == "micro"
    assert sme_class_at(history["gamma"], date(2026, 2, 1)) == "small"


def test_period_boundaries_are_inclusive(history):
    report = selectors.erdf_report(date(2025, 6, 15), date(2025, 12, 31))
    assert {e["name"] for e in report["enterprises"]} == {"Delta Draht GmbH", "Epsilon Ewig GmbH"}
    report = selectors.erdf_report(date(2025, 6, 16), date(2025, 12, 30))
    assert report["supported"] == 0


def test_forum_participants_count_attended_registrations(history, company_a):
    cluster = Cluster.objects.get(slug="metall")
    forum = Forum.objects.create(
        cluster=cluster,
        title="Metall-Forum Energie",
        starts_at=datetime(2025, 5, 6, 17, tzinfo=BERLIN),
        ends_at=datetime(2025, 5, 6, 20, tzinfo=BERLIN),
        capacity=30,
    )
    for i, state in enumerate(
        [Registration.State.ATTENDED, Registration.State.ATTENDED, Registration.State.CONFIRMED]
    ):
        contact = Contact.objects.create(company=company_a, first_name=f"F{i}", last_name="Forum")
        Registration.objects.create(forum=forum, contact=contact, company=company_a, state=state)
    report = selectors.erdf_report(date(2025, 1, 1), date(2025, 12, 31))
    assert report["forum_participants"] == 2
    assert [f["title"] for f in selectors.erdf_evidence(report, "forum_participants")] == [
        "Metall-Forum Energie"
    ]


def test_report_page_drill_down_and_xlsx(client, cluster_manager, history):
    client.force_login(cluster_manager)
    query = {"start": "2025-01-01", "end": "2026-12-31"}
    page = client.get(reverse("funding:erdf"), query)
    assert page.status_code == 200
    assert "RCO01 / CO01" in page.content.decode() and "RCO04 / CO04" in page.content.decode()
    micro = client.get(reverse("funding:erdf_evidence", args=["micro"]), query)
    assert micro.status_code == 200
    body = micro.content.decode()
    assert "Gamma Guss GmbH" in body and "Delta Draht GmbH" not in body
    assert history["gamma1"].number in body and history["gamma2"].number in body
    hours = client.get(reverse("funding:erdf_evidence", args=["hours"]), query).content.decode()
    assert all(history[k].number in hours for k in ("gamma1", "gamma2", "delta", "epsilon"))
    assert client.get(reverse("funding:erdf_evidence", args=["nonsense"]), query).status_code == 404
    export = client.get(reverse("funding:erdf_xlsx"), query)
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.content))
    values = [row[2].value for row in book.worksheets[0].iter_rows(min_row=3)]
    assert values[:6] == [3, 1, 0, 1, 0, 1]  # supported, micro, small, medium, large, unknown
    assert book.worksheets[1].max_row == 4  # header + three enterprises
    assert book.worksheets[2].max_row == 5  # header + four workshops


def test_bad_period_is_answered_with_the_form_not_a_500(client, project_manager):
    client.force_login(project_manager)
    response = client.get(reverse("funding:erdf"), {"start": "2026-12-31", "end": "2026-01-01"})
    assert response.status_code == 400
    assert client.get(reverse("funding:erdf_xlsx"), {"start": "x"}).status_code == 400
    assert client.get(reverse("funding:register_csv"), {"end": "x"}).status_code == 400
