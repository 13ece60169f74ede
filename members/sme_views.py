"""The KMU-Erklärung of a company for one fiscal year, as PDF (staff and the company's own
logins; another company's id answers 404)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from . import sme_selectors
from .pdf import sme_declaration_pdf
from .permissions import company_get_for_user_or_404


@login_required
@require_GET
def sme_declaration(request, pk, year):
    company = company_get_for_user_or_404(request.user, pk)
    row = next(
        (y for y in sme_selectors.sme_table(company) if y["year"] == year and y["own"]), None
    )
    if row is None:
        raise Http404
    response = HttpResponse(sme_declaration_pdf(company, row), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kmu-erklaerung-{company.pk}-{year}.pdf"'
    return response
