"""The ERDF report of an operation as XLSX (indicators, evidence per enterprise) and as PDF."""

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheets import safe_cell
from members.identity import identity_for


def _measures_text(enterprise) -> str:
    return "; ".join(f"{m.day:%d.%m.%Y} {m.label}" for m in enterprise.measures)


def report_xlsx(report: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Indicators")[:31]
    sheet.append([safe_cell(report["project"].name)])
    sheet.append([_("Period"), f"{report['start']:%d.%m.%Y} – {report['end']:%d.%m.%Y}"])
    sheet.append([_("Indicator"), _("Figure"), _("Value")])
    for code, label, value in report["indicators"]:
        sheet.append([code, str(label), value])
    evidence = book.create_sheet(_("Enterprises")[:31])
    evidence.append(
        [
            _("Enterprise"),
            _("Commercial register number"),
            _("VAT id"),
            _("First support"),
            _("Measures"),
            _("SME class"),
            _("Source of the SME class"),
        ]
    )
    for e in report["enterprises"]:
        evidence.append(
            [
                safe_cell(e.name),
                safe_cell(e.register_number),
                safe_cell(e.vat_id),
                e.first_support,
                safe_cell(_measures_text(e)),
                str(report["size_labels"].get(e.size_class, "")),
                e.size_source,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_pdf(report: dict) -> bytes:
    from weasyprint import HTML  # loads pango on import; only the documents need it

    with translation.override("de"):
        html = render_to_string(
            "funding/pdf/erdf_report.html",
            {"report": report, "project": report["project"], "sender_name": identity_for().name},
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
