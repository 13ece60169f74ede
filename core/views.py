"""The audit trail page: searchable and filterable, for whoever may view audit events
(the cluster management's role has that permission)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors
from .filters import AuditEventFilter

PAGE_SIZE = 50


@login_required
@require_GET
def audit_list(request):
    if not request.user.has_perm("core.view_auditevent"):
        raise PermissionDenied
    filterset = AuditEventFilter(request.GET or None, queryset=selectors.events())
    queryset = filterset.qs if filterset.is_bound else selectors.events()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": selectors.rows(page),
            "query": query.urlencode(),
        },
    )
