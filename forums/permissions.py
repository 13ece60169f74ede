"""Who may see or change what in the forums app.

Company users see published forums and their own company's registrations; drafts and other
companies' registrations answer 404 to them, as unknown ids do.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from core.roles import Role, has_role

from .models import Forum, Registration


def is_forum_staff(user) -> bool:
    return has_role(user, Role.CLUSTER_MANAGER)


def can_view_forums(user) -> bool:
    return has_role(user, Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER, Role.COMPANY_USER)


def forum_visible_q_states(user) -> list[str]:
    if is_forum_staff(user):
        return list(Forum.State.values)
    return [Forum.State.PUBLISHED, Forum.State.HELD, Forum.State.CANCELLED]


def forum_get_for_user_or_404(user, pk) -> Forum:
    """A forum the user may look at: staff every forum, others only announced ones."""
    return get_object_or_404(Forum, pk=pk, state__in=forum_visible_q_states(user))


def registration_get_for_user_or_404(user, pk) -> Registration:
    """A registration of the user's own company (company users) or any (cluster management)."""
    queryset = Registration.objects.select_related("forum", "contact", "company")
    if is_forum_staff(user):
        return get_object_or_404(queryset, pk=pk)
    if has_role(user, Role.COMPANY_USER) and user.company_id:
        return get_object_or_404(queryset, pk=pk, company_id=user.company_id)
    raise Http404
