"""A company's competence profile, its entries from the curated lists, and the contact
requests ("enquiries") other members send through the directory."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Company, Contact

from .choices import Kind, label


class Profile(models.Model):
    class Capacity(models.TextChoices):
        NONE = "none", _("No free capacity at the moment")
        SOME = "some", _("Some free capacity")
        AMPLE = "ample", _("Ample free capacity")

    company = models.OneToOneField(
        Company,
        on_delete=models.CASCADE,
        related_name="competence_profile",
        verbose_name=_("Company"),
    )
    summary = models.TextField(_("What we do"), max_length=2000, blank=True)
    products = models.TextField(_("Own products"), max_length=2000, blank=True)
    capacity = models.CharField(
        _("Free capacity"), max_length=10, choices=Capacity.choices, default=Capacity.SOME
    )
    capacity_note = models.CharField(_("Capacity in detail"), max_length=300, blank=True)
    # Who receives contact requests; their address is never shown to the enquirer. Publishing
    # needs one (services); if the person leaves, the profile stays listed without the button.
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Contact for requests"),
    )
    published = models.BooleanField(_("Published to other members"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
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
        verbose_name = _("Competence profile")
        verbose_name_plural = _("Competence profiles")

    def __str__(self):
        return str(self.company)

    def codes(self, kind: str) -> list[str]:
        return [entry.code for entry in self.entries.all() if entry.kind == kind]

    def labels(self, kind: str) -> list[str]:
        """Shown names of one kind, from prefetched entries."""
        return [label(kind, code) for code in self.codes(kind)]

    @property
    def process_labels(self):
        return self.labels(Kind.PROCESS)

    @property
    def material_labels(self):
        return self.labels(Kind.MATERIAL)

    @property
    def certification_labels(self):
        return self.labels(Kind.CERTIFICATION)


class ProfileEntry(models.Model):
    """One process, material or certification of a profile (a row, so every database
    filters on it)."""

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="entries", verbose_name=_("Profile")
    )
    kind = models.CharField(_("Kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("Entry"), max_length=40)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("Profile entry")
        verbose_name_plural = _("Profile entries")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "kind", "code"], name="atlas_entry_unique_per_profile"
            )
        ]
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self):
        return label(self.kind, self.code)


class Enquiry(models.Model):
    """A member's contact request to a published profile, mailed to the profile's contact."""

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="enquiries", verbose_name=_("Profile")
    )
    sender_company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="atlas_enquiries_sent",
        verbose_name=_("Enquiring company"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Sent by"),
    )
    message = models.TextField(_("Message"), max_length=2000)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Contact request")
        verbose_name_plural = _("Contact requests")
        indexes = [
            models.Index(fields=["sender_company", "created_at"]),
            models.Index(fields=["profile", "created_at"]),
        ]

    def __str__(self):
        return f"{self.sender_company} → {self.profile}"
