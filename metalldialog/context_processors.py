from django.utils.functional import SimpleLazyObject

from core.roles import Role, roles_of
from members.identity import agency_identity_for_pages


def site(request):
    names = roles_of(request.user) if hasattr(request, "user") else frozenset()
    return {
        # The agency speaks on every page; a cluster's public pages pass their own `sender`.
        # Lazy: a page that names no sender (an htmx fragment) does not read it.
        "sender": SimpleLazyObject(agency_identity_for_pages),
        "is_cluster_manager": Role.CLUSTER_MANAGER.value in names,
        "is_project_manager": Role.PROJECT_MANAGER.value in names,
        "is_company_user": Role.COMPANY_USER.value in names,
    }
