from django.conf import settings

from core.roles import Role, roles_of


def site(request):
    names = roles_of(request.user) if hasattr(request, "user") else frozenset()
    return {
        "sender": {
            "name": settings.SENDER_NAME,
            "address": settings.SENDER_ADDRESS,
            "email": settings.SENDER_CONTACT_EMAIL,
        },
        "is_cluster_manager": Role.CLUSTER_MANAGER.value in names,
        "is_project_manager": Role.PROJECT_MANAGER.value in names,
        "is_company_user": Role.COMPANY_USER.value in names,
    }
