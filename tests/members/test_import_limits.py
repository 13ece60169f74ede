"""The import checks a file's size unpacked and its number of rows before it parses it: a
zip bomb disguised as XLSX, or a file of too many rows, is refused with a German message
and writes nothing. (The upload itself is refused by size before it is read:
tests/metalldialog/test_request_size.py.)"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members import imports
from members.services import company_import

from .test_import import counts, make_rows, metall, to_csv, to_xlsx  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 40)
    monkeypatch.setattr(imports, "MAX_UNPACKED_BYTES", 2 * 1024 * 1024)


def _bomb() -> bytes:
    """A few kilobytes that unpack to 20 MB: an XLSX whose sheet is mostly zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024))
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(metall, small_limits):  # noqa: F811
    content = _bomb()
    assert len(content) < 100 * 1024
    report = company_import(content=content, filename="firmen.xlsx", dry_run=False)
    assert [str(p) for p in report.problems] == [
        "Die Datei ist entpackt größer als 2 MB. Bitte teilen Sie sie in kleinere Dateien auf."
    ]
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_too_many_rows_are_refused_before_the_import(metall, small_limits, fmt):  # noqa: F811
    rows = make_rows(41)
    content = to_csv(rows) if fmt == "csv" else to_xlsx(rows)
    report = company_import(content=content, filename=f"firmen.{fmt}", dry_run=False)
    assert [str(p) for p in report.problems] == [
        "Die Datei hat mehr als 40 Zeilen. Bitte teilen Sie sie in kleinere Dateien auf."
    ]
    assert counts() == (0, 0, 0)
    # At the limit the file goes through.
    content = to_csv(rows[:40]) if fmt == "csv" else to_xlsx(rows[:40])
    report = company_import(content=content, filename=f"firmen.{fmt}", dry_run=False)
    assert report.ok, [str(p) for p in report.problems]


def test_the_page_shows_the_reason(client, cluster_manager, metall, small_limits):  # noqa: F811
    client.force_login(cluster_manager)
    upload = SimpleUploadedFile("firmen.xlsx", _bomb())
    response = client.post(reverse("members:import"), {"file": upload})
    assert response.status_code == 200
    assert "entpackt größer als 2 MB" in response.content.decode()
    assert counts() == (0, 0, 0)
