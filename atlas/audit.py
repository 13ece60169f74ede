"""The actions the competence directory records in the audit trail (see core.actions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.actions import register


@register
class AtlasAction(models.TextChoices):
    PROFILE_SAVED = "atlas_profile.saved", _("Competence profile saved")
    PROFILE_PUBLISHED = "atlas_profile.published", _("Competence profile published")
    PROFILE_WITHDRAWN = "atlas_profile.withdrawn", _("Competence profile withdrawn")
    ENQUIRY_SENT = "atlas_enquiry.sent", _("Contact request sent through the directory")
