"""Secrets that give integrations access: API tokens and personal calendar feed links.

Only a SHA-256 hash of each secret is stored; the secret itself is shown once when it is made.
A stolen database dump therefore opens no API and no calendar.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Contact


class ApiToken(models.Model):
    """An integration acts as `user`: that user's role and company decide what it may see."""

    name = models.CharField(_("Name"), max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("Acts as user"),
    )
    # The first characters of the secret, to recognise a token in lists (not enough to use it).
    prefix = models.CharField(_("Prefix"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class CalendarFeed(models.Model):
    """The secret address of one contact's personal calendar; a new one replaces the old."""

    contact = models.OneToOneField(
        Contact,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("Contact"),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("Calendar feed")
        verbose_name_plural = _("Calendar feeds")

    def __str__(self):
        return str(self.contact)
