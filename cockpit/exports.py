"""The sleeping members list as CSV or XLSX (formula-safe cells, as every export)."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX
from tablib import Dataset

from core.spreadsheets import dataset_csv, safe_cell

FORMATS = {
    "csv": (CSV, "text/csv; charset=utf-8"),
    "xlsx": (XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def _day(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).date()
    return value.isoformat()


def sleeping_response(rows, fmt: str) -> HttpResponse:
    dataset = Dataset(
        headers=[_("Company"), _("Postcode"), _("City"), _("Last forum"), _("Last workshop")]
    )
    for row in rows.iterator(chunk_size=2000):
        dataset.append(
            [
                safe_cell(row["legal_name"]),
                safe_cell(row["postcode"]),
                safe_cell(row["city"]),
                _day(row["last_forum"]),
                _day(row["last_workshop"]),
            ]
        )
    format_class, content_type = FORMATS[fmt]
    data = dataset_csv(dataset) if fmt == "csv" else format_class().export_data(dataset)
    response = HttpResponse(data, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="sleeping-members-{stamp}.{fmt}"'
    return response
