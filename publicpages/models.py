"""A registration asked for on the public forum pages, until its address is confirmed.

The person, their company and the pending consent exist from the first click; the forum's
registration is made only once the person has confirmed the address (double opt-in), by the
forums' own service, so seats, caps and the waiting list follow the members' rules.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicRequest(models.Model):
    forum = models.ForeignKey(
        "forums.Forum", on_delete=models.CASCADE, related_name="+", verbose_name=_("Forum")
    )
    contact = models.ForeignKey(
        "members.Contact", on_delete=models.CASCADE, related_name="+", verbose_name=_("Contact")
    )
    # The double opt-in that proves the address (and, if ticked, the consent to invitations).
    consent = models.OneToOneField(
        "privacy.Consent",
        on_delete=models.CASCADE,
        related_name="public_request",
        verbose_name=_("Consent"),
    )
    registration = models.ForeignKey(
        "forums.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Registration"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Public registration request")
        verbose_name_plural = _("Public registration requests")

    def __str__(self):
        return f"{self.contact_id} – {self.forum_id}"
