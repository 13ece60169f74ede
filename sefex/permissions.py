"""Who may see or change what in SEFEX.

Staff (project and cluster management) see every workshop; only project managers change them.
A company user sees their own company's workshops; the minutes (findings, action items, files,
assessment) once the project manager has released them (documented or closed). Anything else
answers 404, so a foreign id looks like one that does not exist.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from core.roles import Role, has_role, is_staff_role

from .models import ActionItem, Attachment, AvailabilityException, AvailabilityRule, Workshop

MINUTES_STATES = Workshop.MINUTES_STATES


def is_manager(user) -> bool:
    return has_role(user, Role.PROJECT_MANAGER)


def workshop_scope(user):
    if is_staff_role(user):
        return Workshop.objects.all()
    if has_role(user, Role.COMPANY_USER) and user.company_id:
        return Workshop.objects.filter(company_id=user.company_id)
    return Workshop.objects.none()


def minutes_visible(user, workshop: Workshop) -> bool:
    return is_staff_role(user) or workshop.state in MINUTES_STATES


def workshop_get_for_user_or_404(user, pk) -> Workshop:
    return get_object_or_404(workshop_scope(user), pk=pk)


def action_item_get_for_user_or_404(user, pk) -> ActionItem:
    queryset = ActionItem.objects.select_related("workshop").filter(
        workshop__in=workshop_scope(user)
    )
    if not is_staff_role(user):
        queryset = queryset.filter(workshop__state__in=MINUTES_STATES)
    return get_object_or_404(queryset, pk=pk)


def attachment_get_for_user_or_404(user, pk) -> Attachment:
    queryset = Attachment.objects.select_related("workshop").filter(
        workshop__in=workshop_scope(user)
    )
    if not is_staff_role(user):
        queryset = queryset.filter(workshop__state__in=MINUTES_STATES)
    return get_object_or_404(queryset, pk=pk)


def availability_rule_get_for_user_or_404(user, pk) -> AvailabilityRule:
    if not is_manager(user):
        raise Http404
    return get_object_or_404(AvailabilityRule, pk=pk, project_manager=user)


def availability_exception_get_for_user_or_404(user, pk) -> AvailabilityException:
    if not is_manager(user):
        raise Http404
    return get_object_or_404(AvailabilityException, pk=pk, project_manager=user)
