"""Import of companies with contacts: all or nothing, a German report per row and column,
duplicates found by register number, VAT id or e-mail, never by name."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from members.models import Company, Contact, Relationship
from members.resources import HEADERS
from members.services import company_import

pytestmark = pytest.mark.django_db

ROWS = 500


def make_rows(count=ROWS) -> list[dict]:
    """Every fifth row is a second contact of the company of the row before."""
    rows = []
    company = 0
    for i in range(count):
        second = i % 5 == 4
        if not second:
            company += 1
        rows.append(
            {
                "Firma": f"Importfirma {company:04d} GmbH",
                "Kurzname": f"Importfirma {company:04d}",
                "Rechtsform": "GmbH",
                "Handelsregisternummer": f"HRB {100000 + company}",
                "USt-IdNr.": f"DE{300000000 + company}" if company % 2 else "",
                "Straße": "Industriestraße 1",
                "PLZ": "74076",
                "Ort": "Heilbronn",
                "Website": f"www.importfirma{company}.example",
                "Branchen": "6;11",
                "Fertigung": "Lohnfertiger" if company % 3 else "both",
                "Cluster": "metall",
                "Beziehung": "Mitglied" if company % 2 else "partner",
                "Beziehung seit": "01.01.2021",
                "Anrede": "Frau" if second else "Herr",
                "Titel": "",
                "Vorname": "Zweite" if second else "Erster",
                "Nachname": f"Person{i}",
                "Funktion": "Geschäftsführung" if not second else "technology",
                "E-Mail": f"person{i}@importfirma{company}.example",
                "Telefon": "07131 1234",
                "Sprache": "de",
                "Einladungen": "nein" if second else "ja",
            }
        )
    return rows


def to_csv(rows, delimiter=";") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADERS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row[h] for h in HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def counts():
    return Company.objects.count(), Contact.objects.count(), Relationship.objects.count()


@pytest.fixture
def metall(db):
    from members.models import Cluster

    return Cluster.objects.get_or_create(slug="metall", defaults={"name": "MetallDIALOG"})[0]


def test_500_rows_with_3_broken_write_nothing_then_fixed_imports_all_and_again_no_duplicates(
    metall,
):
    rows = make_rows()
    good = [dict(r) for r in rows]
    # three broken rows (file rows = index + 2: the header is row 1)
    rows[41]["Branchen"] = "6;99"
    rows[250]["E-Mail"] = "kein-at-zeichen"
    rows[250]["Handelsregisternummer"] = ""  # still found by VAT id? no: row 250 is company
    rows[250]["USt-IdNr."] = ""
    rows[250]["E-Mail"] = ""
    rows[250]["Nachname"] = "Ohne Kennung"
    rows[498]["E-Mail"] = "falsch@@example"
    before = counts()

    report = company_import(content=to_csv(rows), filename="firmen.csv", dry_run=False)

    assert counts() == before
    assert not report.written
    assert report.bad_rows == [43, 252, 500]
    by_row = {p.row: p for p in report.problems}
    assert by_row[43].column == "Branchen" and "99" in by_row[43].message
    assert by_row[252].column == ""  # no identifier at all: the row as a whole
    assert by_row[500].column == "E-Mail"
    with translation.override("de"):
        text = [str(p) for p in report.problems]
    assert any(t.startswith("Zeile 43") and "„Branchen“" in t for t in text), text

    report = company_import(content=to_csv(good), filename="firmen.csv", dry_run=False)
    assert report.ok, [str(p) for p in report.problems]
    assert report.written
    assert report.rows == ROWS
    assert (report.companies_new, report.companies_updated) == (400, 100)
    assert (report.contacts_new, report.contacts_updated) == (500, 0)
    assert Company.objects.count() == before[0] + 400
    assert Contact.objects.count() == before[1] + 500
    company = Company.objects.get(register_number="HRB 100001")
    assert company.vat_id == "DE300000001"
    assert company.website == "https://www.importfirma1.example"
    assert company.production == Company.Production.CONTRACT
    assert sorted(company.sectors.values_list("number", flat=True)) == [6, 11]
    assert company.relationships.get().kind == "member"
    second = Contact.objects.get(email="person4@importfirma4.example")
    assert second.company.register_number == "HRB 100004"
    assert not second.receives_invitations
    assert second.salutation == "ms"

    # again: found by register number, VAT id and e-mail; nothing new
    after = counts()
    report = company_import(content=to_csv(good), filename="firmen.csv", dry_run=False)
    assert report.ok
    assert (report.companies_new, report.contacts_new) == (0, 0)
    assert counts() == after


def test_dry_run_previews_and_writes_nothing(metall):
    rows = make_rows(20)
    report = company_import(content=to_xlsx(rows), filename="firmen.xlsx", dry_run=True)
    assert report.ok
    assert (report.companies_new, report.companies_updated, report.contacts_new) == (16, 4, 20)
    assert report.preview[0] == {"row": 2, "action": "new", "company": "Importfirma 0001"}
    assert Company.objects.count() == 0


def test_matching_never_by_name(metall):
    existing = Company.objects.create(legal_name="Importfirma 0001 GmbH", register_number="HRB 1")
    rows = make_rows(1)
    report = company_import(content=to_csv(rows), filename="f.csv", dry_run=False)
    # same name, other register number: this row speaks of another company
    assert report.problems == [] and report.companies_new == 1
    assert Company.objects.filter(legal_name=existing.legal_name).count() == 2


def test_match_by_vat_id_and_by_contact_email(metall, company_a):
    company_a.vat_id = "DE999999999"
    company_a.save()
    contact = company_a.contacts.get()
    contact.email = "anna@alpha.example"
    contact.save()
    row = make_rows(1)[0] | {"Handelsregisternummer": "", "USt-IdNr.": "de 999 999 999"}
    by_mail = make_rows(1)[0] | {
        "Handelsregisternummer": "",
        "USt-IdNr.": "",
        "E-Mail": "ANNA@alpha.example",
        "Vorname": "Anna",
        "Nachname": "Alpha-Neu",
    }
    report = company_import(content=to_csv([row, by_mail]), filename="f.csv", dry_run=False)
    assert report.ok, [str(p) for p in report.problems]
    assert (report.companies_new, report.companies_updated) == (0, 2)
    contact.refresh_from_db()
    assert contact.last_name == "Alpha-Neu"
    assert Company.objects.count() == 1


def test_conflicting_identifiers_are_an_error(metall, company_a, company_b):
    company_a.register_number = "HRB 1"
    company_a.save()
    company_b.vat_id = "DE123456789"
    company_b.save()
    row = make_rows(1)[0] | {"Handelsregisternummer": "HRB 1", "USt-IdNr.": "DE123456789"}
    report = company_import(content=to_csv([row]), filename="f.csv", dry_run=False)
    assert report.bad_rows == [2]
    assert Company.objects.count() == 2


def test_missing_columns_and_unreadable_files(metall):
    report = company_import(content=b"Firma;Ort\nX;Y\n", filename="f.csv", dry_run=False)
    assert not report.ok and report.problems[0].row is None
    report = company_import(content=b"\x00\x01garbage", filename="f.xlsx", dry_run=False)
    assert not report.ok
    assert Company.objects.count() == 0


def test_import_page_previews_then_imports(cm_client, metall):
    rows = make_rows(10)
    upload = SimpleUploadedFile("firmen.csv", to_csv(rows), content_type="text/csv")
    response = cm_client.post(reverse("members:import"), {"file": upload})
    assert response.status_code == 200
    token = response.context["token"]
    assert token and response.context["report"].companies_new == 8
    assert Company.objects.count() == 0
    response = cm_client.post(reverse("members:import"), {"token": token})
    assert response.status_code == 302
    assert Company.objects.count() == 8
    # the token is used up, and belongs to its uploader only
    response = cm_client.post(reverse("members:import"), {"token": token})
    assert response.status_code == 302 and Company.objects.count() == 8


def test_import_page_shows_the_errors(cm_client, metall):
    rows = make_rows(3)
    rows[1]["Cluster"] = "unbekannt"
    upload = SimpleUploadedFile("firmen.csv", to_csv(rows))
    response = cm_client.post(reverse("members:import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["token"] is None
    assert response.context["report"].bad_rows == [3]
    assert "unbekannt" in response.content.decode()
    upload = SimpleUploadedFile("firmen.txt", b"x")
    response = cm_client.post(reverse("members:import"), {"file": upload})
    assert response.status_code == 200 and response.context["form"].errors


def test_formula_like_cells_are_exported_as_text_and_import_back(cm_client, metall, company_a):
    company_a.register_number = "HRB 77"
    company_a.save()
    contact = company_a.contacts.get()
    contact.phone = "+49 7131 1234"
    contact.email = "anna@alpha.example"
    contact.last_name = "=HYPERLINK(1)"
    contact.save()
    response = cm_client.get(reverse("members:directory_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Telefon"] == "'+49 7131 1234"
    assert row["Nachname"] == "'=HYPERLINK(1)"
    report = company_import(content=response.content, filename="export.xlsx", dry_run=False)
    assert report.ok, [str(p) for p in report.problems]
    contact.refresh_from_db()
    assert contact.phone == "+49 7131 1234" and contact.last_name == "=HYPERLINK(1)"
    assert Company.objects.count() == 1 and Contact.objects.count() == 1
