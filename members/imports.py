"""Reading an uploaded file and turning django-import-export's result into a German report."""

import io
import zipfile
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from import_export.formats.base_formats import XLSX
from openpyxl import load_workbook

from .resources import (
    ATTRIBUTE_TO_HEADER,
    HEADERS,
    CompanyContactResource,
)

PREVIEW_ROWS = 50
# Checked before the file is parsed: an XLSX is a zip archive whose few kilobytes can unpack
# to gigabytes, and a file of a million rows would hold the import for minutes.
MAX_ROWS = 10_000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


@dataclass
class ImportProblem:
    row: int | None  # the spreadsheet row (the header is row 1)
    column: str
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        if not self.column:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportReport:
    rows: int = 0
    companies_new: int = 0
    companies_updated: int = 0
    contacts_new: int = 0
    contacts_updated: int = 0
    skipped: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems if p.row is not None})


def read_dataset(content: bytes, filename: str) -> tablib.Dataset:
    """CSV (UTF-8, with or without BOM, else Windows-1252; ; or , separated) or XLSX."""
    if filename.lower().endswith(".xlsx"):
        return XLSX().create_dataset(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return tablib.Dataset().load(text, format="csv", delimiter=delimiter)


def _header_problems(dataset: tablib.Dataset) -> list[ImportProblem]:
    headers = [str(h or "").strip() for h in (dataset.headers or [])]
    dataset.headers = headers
    missing = [h for h in HEADERS if h not in headers]
    if not missing:
        return []
    return [
        ImportProblem(
            None,
            "",
            _("These columns are missing: %(columns)s. The first row must name the columns.")
            % {"columns": ", ".join(missing)},
        )
    ]


def _column(key: str) -> str:
    if key == NON_FIELD_ERRORS:
        return ""
    return ATTRIBUTE_TO_HEADER.get(key, key)


def _xlsx_rows(content: bytes) -> int:
    """The rows of the sheet the import reads, counted while streaming (up to one too many)."""
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        count = 0
        for _row in workbook.active.iter_rows(values_only=True):
            count += 1
            if count > MAX_ROWS + 1:
                break
        return count
    finally:
        workbook.close()


def size_problem(content: bytes, filename: str) -> ImportProblem | None:
    """Too large when unpacked, or too many rows (the header row aside)."""
    if filename.lower().endswith(".xlsx"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                unpacked = sum(member.file_size for member in archive.infolist())
        except zipfile.BadZipFile:
            return ImportProblem(None, "", _("The file could not be read as CSV or XLSX."))
        if unpacked > MAX_UNPACKED_BYTES:
            return ImportProblem(
                None,
                "",
                _("The file unpacks to more than %(size)s MB. Please split it into smaller files.")
                % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)},
            )
        rows = _xlsx_rows(content)
    else:
        rows = content.count(b"\n") + (0 if content.endswith(b"\n") else 1)
    if rows - 1 > MAX_ROWS:
        return ImportProblem(
            None,
            "",
            _("The file has more than %(rows)s rows. Please split it into smaller files.")
            % {"rows": f"{MAX_ROWS:,}".replace(",", ".")},
        )
    return None


def run_import(content: bytes, filename: str, *, dry_run: bool) -> ImportReport:
    """Imports all rows or none: any bad row rolls back the whole file."""
    report = ImportReport()
    try:
        problem = size_problem(content, filename)
    except Exception:  # any parser failure: the file is not what it claims to be
        problem = ImportProblem(None, "", _("The file could not be read as CSV or XLSX."))
    if problem is not None:
        report.problems.append(problem)
        return report
    try:
        dataset = read_dataset(content, filename)
    except Exception:  # any parser failure: the file is not what it claims to be
        report.problems.append(
            ImportProblem(None, "", _("The file could not be read as CSV or XLSX."))
        )
        return report
    report.problems = _header_problems(dataset)
    if report.problems:
        return report
    resource = CompanyContactResource()
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
        raise_errors=False,
    )
    report.rows = len(dataset)
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            for message in messages:
                report.problems.append(ImportProblem(invalid.number + 1, _column(key), message))
    for number, errors in result.row_errors():
        for error in errors:
            report.problems.append(
                ImportProblem(
                    number + 1, "", _("Unexpected error: %(error)s") % {"error": error.error}
                )
            )
    for error in result.base_errors:
        report.problems.append(ImportProblem(None, "", str(error.error)))
    report.problems.sort(key=lambda p: (p.row or 0, p.column))
    if report.problems:
        return report
    for number, row_result in enumerate(result.rows, 1):
        if row_result.import_type == "new":
            report.companies_new += 1
        elif row_result.import_type == "update":
            report.companies_updated += 1
        elif row_result.import_type == "skip":
            report.skipped += 1
        if len(report.preview) < PREVIEW_ROWS:
            report.preview.append(
                {
                    "row": number + 1,
                    "action": row_result.import_type,
                    "company": row_result.object_repr,
                }
            )
    actions = list(resource.contact_actions.values())
    report.contacts_new = actions.count("new")
    report.contacts_updated = actions.count("update")
    report.written = not dry_run
    return report
