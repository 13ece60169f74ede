"""Who may see or change what in the forums app.

Company users see published forums and their own company's registrations; drafts and other
companies' registrations answer 404 to them, as unknown ids do. A cluster manager sees and
acts on the forums of the clusters they manage (members.clusters) and no other: a foreign
cluster's forum, registration or invitation answers 404 as well.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from core.roles import Role, has_role
from members.clusters import in_managed_clusters

from .models import Forum, Registration


def is_forum_staff(user) -> bool:
    return has_role(user, Role.CLUSTER_MANAGER)


def can_view_forums(user) -> bool:
    return has_role(user, Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER, Role.COMPANY_USER)


def forum_visible_q_states(user) -> list[str]:
    if is_forum_staff(user):
        return list(Forum.State.values)
    return [Forum.State.PUBLISHED, Forum.State.HELD, Forum.State.CANCELLED]


def forums_for(user):
    """The forums this user may look at: a cluster manager every forum of their clusters,
    others (project management, company users) the announced ones of every cluster."""
    if is_forum_staff(user):
        return Forum.objects.filter(in_managed_clusters(user))
    return Forum.objects.filter(state__in=forum_visible_q_states(user))


def managed_forums(user):
    """The forums a cluster manager plans and runs: those of their clusters."""
    return Forum.objects.filter(in_managed_clusters(user))


def managed_registrations(user):
    """The registrations of the forums a cluster manager runs."""
    return Registration.objects.filter(in_managed_clusters(user, "forum__cluster"))


def forum_get_for_user_or_404(user, pk) -> Forum:
    """A forum the user may look at (forums_for)."""
    return get_object_or_404(forums_for(user), pk=pk)


def managed_forum_or_404(user, pk) -> Forum:
    """A forum of the cluster manager's clusters, for the staff pages."""
    return get_object_or_404(managed_forums(user).select_related("cluster", "host_company"), pk=pk)


def managed_registration_or_404(user, pk, queryset=None) -> Registration:
    """A registration at a forum of the cluster manager's clusters."""
    queryset = Registration.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset.filter(in_managed_clusters(user, "forum__cluster")), pk=pk)


def registration_get_for_user_or_404(user, pk) -> Registration:
    """A registration of the user's own company (company users) or of a forum of the cluster
    manager's clusters."""
    queryset = Registration.objects.select_related("forum", "contact", "company")
    if is_forum_staff(user):
        return managed_registration_or_404(user, pk, queryset)
    if has_role(user, Role.COMPANY_USER) and user.company_id:
        return get_object_or_404(queryset, pk=pk, company_id=user.company_id)
    raise Http404
