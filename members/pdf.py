"""The KMU-Erklärung (SME declaration) as PDF (WeasyPrint): the company's data and, for one
reference year, how its class was reached, with lines for the signature."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .identity import identity_for


def sme_declaration_pdf(company, year: dict) -> bytes:
    # Imported here: WeasyPrint loads pango on import, which only the documents need.
    from weasyprint import HTML

    with translation.override("de"):
        html = render_to_string(
            "members/pdf/sme_declaration.html",
            {
                "company": company,
                "year": year,
                "printed_on": timezone.localdate(),
                "sender_name": identity_for().name,
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
