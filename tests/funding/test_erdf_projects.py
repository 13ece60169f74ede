"""The ERDF report of a funded operation: every supported enterprise (workshops held with or
without a de-minimis record, attendance at the project's forums where it counts), once per
operation, in the period of its first support, by its size class at that date; the indicators
of the programme period; evidence per enterprise; XLSX and PDF with the EU emblem."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from forums.models import Forum, Registration
from funding import erdf
from funding.models import ErdfProject
from members.models import Cluster, Company, Contact, SmeClass, SmeFigures
from tests.factories import held_workshop

from .conftest import BERLIN
from .test_certificate import pdf_text

pytestmark = pytest.mark.django_db


def _forum(title, day):
    cluster, _ = Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})
    start = datetime(day.year, day.month, day.day, 17, tzinfo=BERLIN)
    return Forum.objects.create(
        cluster=cluster,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        capacity=30,
    )


def _attend(forum, company, state=Registration.State.ATTENDED):
    contact = Contact.objects.create(
        company=company, first_name="Eva", last_name=company.legal_name
    )
    Registration.objects.create(forum=forum, contact=contact, company=company, state=state)


def _figures(company, year, cls):
    SmeFigures.objects.create(
        company=company,
        fiscal_year=year,
        staff_units=1,
        turnover=1,
        balance_sheet=1,
        size_class=cls,
        sme_class=cls,
    )


@pytest.fixture
def operation(module, project_manager):
    alpha = Company.objects.create(legal_name="Alpha Fräsen GmbH", register_number="HRB 1")
    beta = Company.objects.create(legal_name="Beta Forum KG", vat_id="DE111111111")
    gamma = Company.objects.create(legal_name="Gamma Guss GmbH", register_number="HRB 3")
    gamma_twin = Company.objects.create(legal_name="Gamma Guss (Werk 2)", register_number="HRB  3")
    delta = Company.objects.create(legal_name="Delta Draht GmbH")
    held_workshop(alpha, module, project_manager, date(2025, 3, 10))
    held_workshop(
        alpha, module, project_manager, date(2026, 2, 1)
    )  # second support: not counted again
    held_workshop(gamma, module, project_manager, date(2025, 4, 1))
    held_workshop(gamma_twin, module, project_manager, date(2025, 9, 1))  # same register number
    held_workshop(delta, module, project_manager, date(2026, 1, 20))
    funded = _forum("Metall-Forum Energie", date(2025, 5, 6))
    other = _forum("Forum außerhalb des Projekts", date(2025, 6, 1))
    _attend(funded, beta)
    _attend(other, delta)  # not part of the project
    _attend(funded, delta, Registration.State.CONFIRMED)  # registered, did not attend
    _figures(beta, 2024, SmeClass.SMALL)
    _figures(alpha, 2024, SmeClass.MICRO)
    _figures(alpha, 2025, SmeClass.MEDIUM)  # after the first support: not used
    project = ErdfProject.objects.create(
        name="SEFEX", period="2021-2027", programme=module.programme, forums_count=True
    )
    project.forums.add(funded)
    return project


def _names(report):
    return [e.name for e in report["enterprises"]]


def test_every_supported_enterprise_once_in_the_period_of_its_first_support(
    operation, django_assert_max_num_queries
):
    with translation.override("en"):
        with django_assert_max_num_queries(4):
            report = erdf.report(operation, date(2025, 1, 1), date(2025, 12, 31))
        assert _names(report) == ["Alpha Fräsen GmbH", "Beta Forum KG", "Gamma Guss GmbH"]
        alpha, beta, gamma = report["enterprises"]
        assert alpha.first_support == date(2025, 3, 10) and len(alpha.measures) == 2
        assert (alpha.size_class, alpha.size_source) == (SmeClass.MICRO, "SME figures of 2024")
        assert (beta.size_class, beta.measures[0].kind) == (SmeClass.SMALL, erdf.FORUM)
        assert gamma.size_class == "" and len(gamma.measures) == 2  # both rows, one enterprise
        assert report["indicators"][0] == ("RCO01", "Enterprises supported", 3)
        codes = {(code, str(label)): value for code, label, value in report["indicators"]}
        assert codes[("RCO01", "Micro enterprise")] == 1
        assert codes[("RCO01", "Small enterprise")] == 1
        assert codes[("RCO01", "size class not known")] == 1
        assert codes[("RCO04", "Enterprises receiving non-financial support")] == 3
        # 2026: Alpha's second workshop counts no more; Delta is first supported then.
        assert _names(erdf.report(operation, date(2026, 1, 1), date(2026, 12, 31))) == [
            "Delta Draht GmbH"
        ]


def test_forum_attendance_counts_only_where_the_project_says_so(operation):
    operation.forums_count = False
    operation.save()
    report = erdf.report(operation, date(2025, 1, 1), date(2025, 12, 31))
    assert "Beta Forum KG" not in _names(report)


def test_the_programme_period_decides_the_indicators(operation):
    operation.period = ErdfProject.Period.P2014
    operation.save()
    codes = {
        row[0] for row in erdf.report(operation, date(2025, 1, 1), date(2025, 12, 31))["indicators"]
    }
    assert codes == {"CO01", "CO04"}


def test_page_xlsx_and_pdf_with_the_eu_emblem(client, cluster_manager, company_user_a, operation):
    client.force_login(cluster_manager)
    query = "?start=2025-01-01&end=2025-12-31"
    page = client.get(reverse("funding:erdf_project", args=[operation.pk]) + query)
    html = page.content.decode()
    assert page.status_code == 200 and "Gamma Guss GmbH" in html
    assert "Kofinanziert von der Europäischen Union" in html and "<svg" in html
    assert (
        client.get(reverse("funding:erdf_project", args=[operation.pk]) + "?start=x").status_code
        == 400
    )
    response = client.get(reverse("funding:erdf_project_xlsx", args=[operation.pk]) + query)
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Alpha Fräsen GmbH", "Beta Forum KG", "Gamma Guss GmbH"]
    assert rows[1][1] == "HRB 1" and "Workshop" in rows[1][4]
    response = client.get(reverse("funding:erdf_project_pdf", args=[operation.pk]) + query)
    text = pdf_text(response.content)
    assert "Kofinanziert von der Europäischen Union" in text and "Beta Forum KG" in text
    operation.period = ErdfProject.Period.P2014
    operation.save()
    html = client.get(reverse("funding:erdf_project", args=[operation.pk]) + query).content.decode()
    assert "Europäische Union" in html and "Europäischer Fonds für regionale Entwicklung" in html
    assert "Kofinanziert" not in html
    client.force_login(company_user_a)
    assert client.get(reverse("funding:erdf_project", args=[operation.pk])).status_code == 403
