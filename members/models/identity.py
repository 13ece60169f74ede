"""Who speaks: the identity of a cluster and of the agency behind all clusters.

Each cluster signs its own pages, forum mails, participant lists and calendar entries; the
agency signs what it grants or runs itself (SEFEX, de-minimis certificates). The settings
SENDER_NAME, SENDER_ADDRESS and SENDER_CONTACT_EMAIL only give the defaults of a new one.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

LOGO_MAX_BYTES = 256 * 1024
LOGO_TYPES = ("image/png", "image/jpeg")
# What the identity page edits on a cluster and on the agency alike (the logo aside).
IDENTITY_FIELDS = [
    "short_name",
    "colour",
    "sender_name",
    "sender_email",
    "reply_to",
    "address",
    "city",
    "imprint",
]

validate_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$",
    _("Enter the colour as #rrggbb, e.g. #0d47a1."),
    code="colour",
)


def default_sender_name() -> str:
    return settings.SENDER_NAME


def default_sender_email() -> str:
    return settings.SENDER_CONTACT_EMAIL


def default_address() -> str:
    return settings.SENDER_ADDRESS


def default_city() -> str:
    # "Koepffstraße 17, 74076 Heilbronn" -> "Heilbronn"
    last = settings.SENDER_ADDRESS.rsplit(",", 1)[-1].strip()
    return last.split(" ", 1)[-1] if " " in last else last


class IdentityFields(models.Model):
    """What a cluster and the agency show about themselves."""

    short_name = models.CharField(_("Display short name"), max_length=40, blank=True)
    colour = models.CharField(
        _("Colour"),
        max_length=7,
        default="#0d47a1",
        validators=[validate_colour],
        help_text=_("As #rrggbb; used for the page header and mail headings."),
    )
    # Served by a public view (members.views.identity), as uploaded files are otherwise never
    # public; the form checks type and size.
    logo = models.FileField(_("Logo"), upload_to="identity/", max_length=200, blank=True)
    sender_name = models.CharField(
        _("Sender name"),
        max_length=120,
        default=default_sender_name,
        help_text=_("Who signs the mails and pages, e.g. the organisation."),
    )
    sender_email = models.EmailField(_("Sender address"), default=default_sender_email)
    reply_to = models.EmailField(
        _("Reply-to address"),
        blank=True,
        help_text=_("Where answers go; empty: the sender address."),
    )
    address = models.CharField(_("Postal address"), max_length=200, default=default_address)
    city = models.CharField(
        _("Place"),
        max_length=80,
        default=default_city,
        help_text=_("Printed before the date on letters and certificates."),
    )
    imprint = models.TextField(
        _("Imprint"), blank=True, help_text=_("Markdown; shown under the pages and mails.")
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        abstract = True


class Agency(IdentityFields):
    """The agency running the clusters: one row (pk 1)."""

    name = models.CharField(_("Name"), max_length=120, default=default_sender_name)

    class Meta:
        verbose_name = _("Agency")
        verbose_name_plural = _("Agency")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="members_agency_single")]

    def __str__(self):
        return self.name
