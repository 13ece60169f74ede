"""The De-minimis-Bescheinigung as PDF (WeasyPrint).

Rendered once from the aid record's own fields (no current company data, no clock), then stored
by services.certificate_issue, so a re-print is the same document.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from members.identity import agency_get, identity_for, logo_data_uri

from .erdf import project_of_programme
from .formatting import day, eur


def certificate_pdf(record) -> bytes:
    # Imported here: WeasyPrint loads pango on import, which only this document needs.
    from weasyprint import HTML

    with translation.override("de"):
        html = render_to_string(
            "funding/pdf/certificate.html",
            {
                "record": record,
                "value": eur(record.value),
                "gross": eur(record.hours * record.hourly_value),
                "contribution": eur(record.contribution),
                "hourly_value": eur(record.hourly_value),
                "grant_date": day(record.grant_date),
                "held_on": day(record.held_on) if record.held_on else "",
                "issued_on": day(timezone.localdate(record.created_at)),
                "citation": record.regulation.citation,
                # The grantor is the agency, whatever cluster the company belongs to.
                "sender": identity_for(),
                "logo": logo_data_uri(agency_get()),
                "project": project_of_programme(record.workshop.programme_id),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
