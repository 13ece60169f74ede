"""Every CSV download uses ';' (German Excel) with a byte order mark, and every export,
CSV and XLSX, writes a cell that starts like a formula as text."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import FORMULA_STARTS, safe_cell, unguarded
from forums import services as forum_services
from tests.forums.conftest import build_forum, cluster  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
EVIL = {
    "=": '=HYPERLINK("http://evil.example";"x")',
    "+": "+1+cmd|' /C calc'!A0",
    "-": "-2+3",
    "@": "@SUM(1+1)",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}


@pytest.mark.parametrize("start", list(EVIL))
def test_formula_guard(start):
    value = EVIL[start]
    assert safe_cell(value) == "'" + value
    assert unguarded(safe_cell(value)) == value
    assert safe_cell("Alpha GmbH") == "Alpha GmbH"
    assert safe_cell(42) == 42


def test_the_guard_knows_tab_and_carriage_return():
    assert {"\t", "\r"} <= set(FORMULA_STARTS)


@pytest.fixture
def evil_company(company_a, cluster):  # noqa: F811
    """Company A under a name that is a formula after a tab, with a contact and a
    registration, so it appears in every export."""
    company_a.legal_name = "\t=1+1 Alpha GmbH"
    company_a.save()
    contact = company_a.contacts.first()
    contact.email = "anna@alpha.example"
    contact.last_name = "=cmd|' /C calc'!A0"
    contact.save()
    forum = build_forum(cluster)
    forum_services.registration_create(forum=forum, contact=contact)
    return {"company": company_a, "contact": contact, "forum": forum}


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    body = response.content
    assert body.startswith("\ufeff".encode()), "no byte order mark"
    text = body.decode("utf-8-sig")
    header = text.split("\r\n", 1)[0]
    assert header.count(";") >= 2, f"not separated by ';': {header!r}"
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _cells(rows) -> set[str]:
    return {cell for row in rows for cell in row}


def test_every_csv_download_uses_semicolons_and_guards_formulas(
    client, cluster_manager, project_manager, company_user_a, evil_company
):
    company, forum = evil_company["company"], evil_company["forum"]
    staff_downloads = [
        reverse("members:directory_export", args=["csv"]),
        reverse("members:contacts_export", args=["csv"]),
        reverse("members:company_contacts_export", args=[company.pk, "csv"]),
        reverse("forums:staff_export", args=[forum.pk, "csv"]),
        reverse("cockpit:sleeping") + "?format=csv",
    ]
    client.force_login(cluster_manager)
    for url in staff_downloads:
        cells = _cells(_csv_rows(client.get(url)))
        assert "'\t=1+1 Alpha GmbH" in cells, url
        assert "\t=1+1 Alpha GmbH" not in cells, url
    _csv_rows(client.get(reverse("members:import_template", args=["csv"])))
    client.force_login(project_manager)
    _csv_rows(client.get(reverse("funding:register_csv")))
    client.force_login(company_user_a)
    cells = _cells(_csv_rows(client.get(reverse("members:portal_contacts_export", args=["csv"]))))
    assert "'=cmd|' /C calc'!A0" in cells


def test_xlsx_exports_guard_formulas_too(client, cluster_manager, evil_company):
    client.force_login(cluster_manager)
    response = client.get(reverse("members:directory_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {cell.value for row in sheet.iter_rows() for cell in row}
    assert "'\t=1+1 Alpha GmbH" in values
    assert not any(isinstance(v, str) and v.startswith(("=", "\t")) for v in values)
