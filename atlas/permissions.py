"""Who reaches what of the competence directory.

- Company users search published profiles, see their own company's profile in any state and
  send contact requests to other companies' published profiles.
- The cluster management reads every profile (and sees the request counts in the cockpit).
- Anything else answers 404: an unpublished profile of another company looks like none.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from core.roles import Role, has_role

from .models import Profile

READERS = (Role.COMPANY_USER, Role.CLUSTER_MANAGER)


def is_company_user(user) -> bool:
    return has_role(user, Role.COMPANY_USER) and bool(user.company_id)


def profile_get_for_user_or_404(user, pk) -> Profile:
    queryset = Profile.objects.select_related("company", "contact").prefetch_related("entries")
    if has_role(user, Role.CLUSTER_MANAGER):
        return get_object_or_404(queryset, pk=pk)
    if is_company_user(user):
        profile = get_object_or_404(queryset, pk=pk)
        if profile.published or profile.company_id == user.company_id:
            return profile
    raise Http404


def may_enquire(user, profile: Profile) -> bool:
    return (
        is_company_user(user)
        and profile.published
        and profile.company_id != user.company_id
        and profile.contact_id is not None
    )
