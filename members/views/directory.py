"""The staff's lists: the company directory and the contact list, their exports, and the
autocomplete of long selects."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.roles import role_required

from .. import exports, selectors
from ..filters import CompanyFilter, ContactFilter
from ..models import Company, Contact
from ..permissions import (
    STAFF_READ,
    company_get_for_user_or_404,
    company_scope,
    contact_scope,
)
from .common import (
    AUTOCOMPLETE_LIMIT,
    page_of,
    query_without_page,
)


@role_required(*STAFF_READ)
@require_GET
def directory(request):
    filterset = CompanyFilter(request.GET or None, queryset=Company.objects.all())
    queryset = filterset.qs if filterset.is_bound else Company.objects.all()
    page = page_of(request, selectors.company_directory(queryset))
    return render(
        request,
        "members/directory.html",
        {
            "filter": filterset,
            "page": page,
            "rows": selectors.directory_rows(page),
            "query": query_without_page(request),
        },
    )


@role_required(*STAFF_READ)
@require_GET
def directory_export(request, fmt):
    filterset = CompanyFilter(request.GET or None, queryset=Company.objects.all())
    queryset = filterset.qs if filterset.is_bound else Company.objects.all()
    return exports.dataset_response(exports.companies_dataset(queryset), fmt, "unternehmen")


@role_required(*STAFF_READ)
@require_GET
def contacts(request):
    filterset = ContactFilter(request.GET or None, queryset=Contact.objects.all())
    queryset = filterset.qs if filterset.is_bound else Contact.objects.all()
    page = page_of(request, selectors.contact_list(queryset))
    return render(
        request,
        "members/contacts.html",
        {"filter": filterset, "page": page, "query": query_without_page(request)},
    )


@role_required(*STAFF_READ)
@require_GET
def contacts_export(request, fmt):
    filterset = ContactFilter(request.GET or None, queryset=Contact.objects.all())
    queryset = filterset.qs if filterset.is_bound else Contact.objects.all()
    return exports.dataset_response(exports.contacts_dataset(queryset), fmt, "kontakte")


@login_required
@require_GET
def company_autocomplete(request):
    """Staff: any company; a company user: only their own. JSON [{id, text}]."""
    terms = request.GET.get("q", "")
    queryset = selectors.search_companies_or_contacts(
        company_scope(request.user), terms, company_ref="pk", prefix=""
    )
    rows = queryset.order_by("legal_name").values("pk", "legal_name", "city")[:AUTOCOMPLETE_LIMIT]
    return JsonResponse(
        {"results": [{"id": r["pk"], "text": f"{r['legal_name']} ({r['city']})"} for r in rows]}
    )


@login_required
@require_GET
def contact_autocomplete(request):
    terms = request.GET.get("q", "")
    queryset = contact_scope(request.user)
    company = request.GET.get("company")
    if company:
        if not company.isdigit():
            raise Http404
        queryset = queryset.filter(company=company_get_for_user_or_404(request.user, company))
    for term in selectors.search_terms(terms):
        queryset = queryset.filter(
            Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(email__icontains=term)
        )
    rows = queryset.select_related("company").order_by("last_name", "first_name")[
        :AUTOCOMPLETE_LIMIT
    ]
    return JsonResponse(
        {"results": [{"id": c.pk, "text": f"{c.full_name} – {c.company}"} for c in rows]}
    )
