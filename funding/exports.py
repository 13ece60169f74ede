"""Register CSV and ERDF XLSX. Cells that start like a formula are quoted, so a spreadsheet
never runs a company name as a formula."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheets import csv_bytes, safe_cell


def register_csv(records) -> bytes:
    """The central register's fields: beneficiary, amount, grant date, granting authority,
    aid instrument, sector (NACE); plus identifier, number and regulation for the audit."""
    header = [
        _("Beneficiary"),
        _("Enterprise identifier"),
        _("Amount (EUR)"),
        _("Grant date"),
        _("Granting authority"),
        _("Aid instrument"),
        _("Sector (NACE Rev. 2.1 / WZ 2025)"),
        _("WZ 2008"),
        _("Regulation"),
        _("Certificate number"),
    ]
    rows = (
        [
            safe_cell(r.company_name),
            safe_cell(r.company_identifier),
            f"{r.value:.2f}".replace(".", ","),
            r.grant_date.strftime("%d.%m.%Y"),
            safe_cell(r.grantor),
            safe_cell(r.instrument),
            safe_cell(r.nace_code),
            safe_cell(r.wz2008_code),
            r.regulation.code,
            r.number,
        ]
        for r in records
    )
    return csv_bytes([header, *rows])


def erdf_xlsx(report: dict, labels: list[tuple[str, str, object]]) -> bytes:
    """Sheet 1: the figures; sheet 2: the enterprises; sheet 3: the workshops; sheet 4: forums."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Figures")[:31]
    sheet.append([_("Period"), f"{report['start']:%d.%m.%Y} – {report['end']:%d.%m.%Y}"])
    sheet.append([_("Indicator"), _("Figure"), _("Value")])
    for code, label, value in labels:
        sheet.append([code, str(label), value])
    enterprises = book.create_sheet(_("Enterprises")[:31])
    enterprises.append(
        [
            _("Enterprise"),
            _("Enterprise identifier"),
            _("First support"),
            _("SME class"),
            _("Workshops"),
        ]
    )
    for e in report["enterprises"]:
        enterprises.append(
            [
                safe_cell(e["name"]),
                safe_cell(e["identifier"]),
                e["first_support"],
                str(e["size_label"]),
                len(e["workshops"]),
            ]
        )
    workshops = book.create_sheet(_("Workshops")[:31])
    workshops.append(
        [
            _("Certificate number"),
            _("Enterprise"),
            _("Grant date"),
            _("Module"),
            _("Consulting hours"),
            _("Participants"),
            _("Aid value (EUR)"),
        ]
    )
    for r in report["records"]:
        workshops.append(
            [
                r["number"],
                safe_cell(r["company_name"]),
                r["grant_date"],
                safe_cell(r["module_name"]),
                float(r["hours"]),
                r["participants"],
                float(r["value"]),
            ]
        )
    forums = book.create_sheet(_("Forums")[:31])
    forums.append([_("Forum"), _("Date"), _("Participants")])
    for f in report["forums"]:
        forums.append([safe_cell(f["title"]), timezone.localdate(f["starts_at"]), f["attended"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
