"""Privacy: consent evidence, hashed suppressions, the audit of erasures, the privacy page.

This app sits above members, outbox, forums, sefex and funding: it reads them to export
and anonymise one person's traces; none of them imports it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Consent(models.Model):
    """Double opt-in of a non-member contact for forum invitations (UWG §7), with evidence."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("confirmation requested")
        CONFIRMED = "confirmed", _("confirmed")
        WITHDRAWN = "withdrawn", _("consent withdrawn")

    contact = models.ForeignKey(
        "members.Contact",
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("Contact"),
    )
    state = models.CharField(
        _("State"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    purpose = models.CharField(_("Purpose"), max_length=60, default="forum_invitations")
    # Evidence: where the consent was asked for and the exact text the person saw.
    form = models.CharField(_("Form"), max_length=120)
    text_shown = models.TextField(_("Text shown"))
    # Only the SHA-256 of the link's token is stored; the link works once.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    expires_at = models.DateTimeField(_("link valid until"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("Consent")
        verbose_name_plural = _("Consents")

    def __str__(self):
        return f"{self.contact_id}: {self.get_state_display()}"


class HashedSuppression(models.Model):
    """An erased person's address as a keyed hash: enough to recognise it on re-import,
    not enough to read it back."""

    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("Suppressed address (hashed)")
        verbose_name_plural = _("Suppressed addresses (hashed)")

    def __str__(self):
        return self.digest[:12]


class PrivacyNotice(models.Model):
    """The privacy page (GDPR Art. 13), one record per language, edited by staff."""

    language = models.CharField(_("Language"), max_length=2, unique=True, default="de")
    controller = models.TextField(_("Controller and contact"))
    purposes = models.TextField(_("Purposes and legal bases"))
    recipients = models.TextField(_("Recipients"))
    storage = models.TextField(_("Storage periods"))
    rights = models.TextField(_("Your rights"))
    authority = models.TextField(_("Supervisory authority"))
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("Privacy notice")
        verbose_name_plural = _("Privacy notices")

    def __str__(self):
        return self.language
