"""The actions the contact history records in the audit trail (see core.actions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.actions import register


@register
class CrmAction(models.TextChoices):
    ACTIVITY_LOGGED = "crm_activity.logged", _("Activity logged")
    TASK_CREATED = "crm_task.created", _("Follow-up task created")
    TASK_DONE = "crm_task.done", _("Follow-up task done")
    TASK_REOPENED = "crm_task.reopened", _("Follow-up task reopened")
