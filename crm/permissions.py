"""Who works with the contact history: the cluster team (cluster and project management).
Company users never see it; an unknown id answers 404."""

from django.shortcuts import get_object_or_404

from core.roles import is_staff_role

from .models import Task


def may_work_on(user) -> bool:
    return user is not None and is_staff_role(user)


def is_staff_member(user) -> bool:
    """Whether a task may be assigned to `user`: an active login of the cluster team."""
    return user.is_active and user.company_id is None and is_staff_role(user)


def task_get_or_404(user, pk) -> Task:
    return get_object_or_404(Task.objects.select_related("company", "assignee"), pk=pk)
