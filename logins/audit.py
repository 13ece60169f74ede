"""The actions the logins app records besides the login's own (see members.audit)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.actions import register


@register
class CompanyAdminAction(models.TextChoices):
    GRANTED = "login.admin_granted", _("Made administrator of the company's logins")
    REVOKED = "login.admin_revoked", _("Administrator rights for the company's logins removed")
