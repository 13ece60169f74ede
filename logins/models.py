"""Which company logins administer their company's logins (a row per administrator)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CompanyAdministrator(models.Model):
    """A company login that invites, deactivates and reactivates its colleagues' logins.

    Kept beside the login model rather than on it: the flag belongs to managing logins, and a
    row carries who granted it and when."""

    login = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="company_administrator",
        verbose_name=_("Login"),
    )
    granted_at = models.DateTimeField(_("Granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Granted by"),
    )

    class Meta:
        verbose_name = _("Company administrator")
        verbose_name_plural = _("Company administrators")

    def __str__(self):
        return str(self.login)
