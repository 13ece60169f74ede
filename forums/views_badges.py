"""Small fragments the navigation loads after the page (htmx), so a page's own queries do
not grow with what the bar counts."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.roles import Role, role_required

from . import selectors


@require_GET
@role_required(Role.CLUSTER_MANAGER)
def pending_badge(request):
    return render(
        request,
        "forums/staff/_pending_badge.html",
        {"count": selectors.pending_approval_count(request.user)},
    )
