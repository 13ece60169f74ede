"""The annual report as labelled rows, and those rows as XLSX and PDF.

One list of (section, label, value) rows feeds the page, the workbook and the PDF, so the
three never disagree.
"""

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from members.identity import identity_for
from members.models import Relationship, SmeClass


def _num(value, digits: int = 0):
    if value is None:
        return "–"
    return number_format(value, digits)


def report_sections(report: dict) -> list[dict]:
    kinds = dict(Relationship.Kind.choices)
    sizes = dict(SmeClass.choices)
    return [
        {
            "title": _("Companies by relationship (31 December)"),
            "rows": [
                (kinds.get(r["kind"], r["kind"]), r["companies"]) for r in report["members_by_kind"]
            ],
        },
        {
            "title": _("Members by size class"),
            "rows": [
                (sizes.get(r["sme_class"]) or _("No figures recorded"), r["companies"])
                for r in report["members_by_size"]
            ],
        },
        {
            "title": _("Members by region (postcode area)"),
            "rows": [(r["region"] or "–", r["companies"]) for r in report["members_by_region"]],
        },
        {
            "title": _("Growth and churn"),
            "rows": [
                (_("Members on 1 January"), report["members_at_start"]),
                (_("Joined"), report["joined"]),
                (_("Left"), report["left"]),
                (_("Members on 31 December"), report["members_at_end"]),
                (_("Growth in percent"), _num(report["growth_percent"], 1)),
                (_("Churn in percent"), _num(report["churn_percent"], 1)),
            ],
        },
        {
            "title": _("Forums"),
            "rows": [
                (_("Forums held"), report["forums"]),
                (_("Participants"), report["participants"]),
                (_("Companies attending"), report["companies_attending"]),
                (_("Members attending at least one forum"), report["members_attending"]),
                (
                    _("Share of members attending in percent"),
                    _num(report["members_attending_percent"], 1),
                ),
                (_("Average forum rating (1-5)"), _num(report["forum_rating"], 1)),
                (_("Forum ratings"), report["forum_ratings"]),
            ],
        },
        {
            "title": _("SEFEX workshops"),
            "rows": [
                (_("Workshops held"), report["workshops"]),
                (_("Companies advised"), report["workshop_companies"]),
                (_("Consulting hours"), _num(report["consulting_hours"], 1)),
                (_("Average workshop rating (1-5)"), _num(report["workshop_rating"], 1)),
                (_("Workshop ratings"), report["workshop_ratings"]),
            ],
        },
    ]


def report_xlsx(report: dict, sections: list[dict]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = str(report["year"])
    sheet.append([_("Annual report %(year)s") % {"year": report["year"]}])
    for section in sections:
        sheet.append([])
        sheet.append([str(section["title"])])
        for label, value in section["rows"]:
            sheet.append([str(label), value if isinstance(value, int) else str(value)])
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_pdf(report: dict, sections: list[dict], cluster, request) -> bytes:
    # Imported here: WeasyPrint loads pango on import, which only this output needs.
    from weasyprint import HTML

    html = render_to_string(
        "cockpit/pdf/annual_report.html",
        {
            "report": report,
            "sections": sections,
            "cluster": cluster,
            "printed_at": timezone.localtime(),
            # A cluster's report is signed by the cluster, the report of all by the agency.
            "sender_name": identity_for(cluster).name,
        },
        request=request,
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
