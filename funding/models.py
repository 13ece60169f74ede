"""Funding evidence: de-minimis declarations, aid records with their certificates, control
links that make single undertakings, and the regulations with their ceilings (as data).

Funding records outlive the people they were about (GDPR Art. 17(3)(b)): nothing here points
at a Contact. Names, addresses and counts are copied into the record when it is made, so erasing
or anonymising a person changes no record and no figure.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.models import Forum
from members.models import Company
from sefex.models import Programme, Workshop

NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Regulation(models.Model):
    """A de-minimis regulation: its ceiling and how its three-year period is counted."""

    class Window(models.TextChoices):
        # 2023/2831: any three years, counted back from the grant date.
        ROLLING = "rolling", _("Rolling three years")
        # 1407/2013: the current and the two previous fiscal years.
        FISCAL = "fiscal", _("Three fiscal years")

    code = models.CharField(_("Regulation"), max_length=20, unique=True)
    citation = models.CharField(_("Citation"), max_length=300)
    ceiling = models.DecimalField(
        _("Ceiling (EUR)"), max_digits=12, decimal_places=2, validators=NOT_NEGATIVE
    )
    window = models.CharField(_("Period"), max_length=8, choices=Window.choices)
    valid_from = models.DateField(_("Applies from"))
    valid_until = models.DateField(_("Applies until"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("De-minimis regulation")
        verbose_name_plural = _("De-minimis regulations")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="funding_regulation_period_ordered",
            )
        ]

    def __str__(self):
        return self.code


class AidScheme(models.Model):
    """Says that a SEFEX programme grants de-minimis aid, by whom and as what instrument.

    Only programmes with a scheme need a declaration before booking, count against the ceiling
    and produce aid records; the value per hour and the company's contribution are the
    programme's own fields.
    """

    programme = models.OneToOneField(
        Programme,
        on_delete=models.PROTECT,
        related_name="aid_scheme",
        verbose_name=_("Programme"),
    )
    grantor = models.CharField(_("Granting authority"), max_length=200)
    instrument = models.CharField(
        _("Aid instrument"),
        max_length=200,
        default="Zuschuss in Form einer subventionierten Beratungsleistung",
    )
    declaration_valid_days = models.PositiveSmallIntegerField(
        _("A declaration stays current for (days)"), default=365
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("Aid scheme")
        verbose_name_plural = _("Aid schemes")

    def __str__(self):
        return f"{self.programme} – {self.grantor}"


class ControlLink(models.Model):
    """One company controls another: both belong to the same single undertaking.

    Kept here rather than read from the SME holdings: those are per fiscal year, may name
    enterprises outside the directory, and describe size, not the de-minimis group, which staff
    confirm explicitly.
    """

    controlling = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="funding_controls",
        verbose_name=_("Controlling company"),
    )
    controlled = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="funding_controlled_by",
        verbose_name=_("Controlled company"),
    )
    note = models.CharField(_("Note"), max_length=200, blank=True)
    # A link changes single undertakings after the fact, so it is ended with a date, never
    # deleted: a ceiling checked for an earlier day still sees the group of that day.
    valid_from = models.DateField(_("Control since"), default=timezone.localdate)
    ended_on = models.DateField(
        _("Control ended on"),
        null=True,
        blank=True,
        help_text=_("The first day on which the company no longer controls the other."),
    )
    end_reason = models.CharField(_("Why the control ended"), max_length=200, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Ended by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Recorded by"),
    )

    class Meta:
        ordering = ["controlling__legal_name", "controlled__legal_name", "-valid_from"]
        verbose_name = _("Control link")
        verbose_name_plural = _("Control links")
        constraints = [
            models.UniqueConstraint(
                fields=["controlling", "controlled"],
                condition=Q(ended_on__isnull=True),
                name="funding_control_link_once",
            ),
            models.CheckConstraint(
                condition=~Q(controlling=F("controlled")), name="funding_control_link_not_self"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("valid_from")),
                name="funding_control_link_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.controlling} → {self.controlled}"

    def delete(self, *args, **kwargs):
        raise ValueError("A control link is ended with a date, never deleted.")

    def active_on(self, day) -> bool:
        return self.valid_from <= day and (self.ended_on is None or day < self.ended_on)


class Declaration(models.Model):
    """A company's de-minimis declaration: the aid it received from others in the last years.

    Evidence: once submitted it is never changed or deleted (only erasure anonymises the
    signatory's name). A newer declaration takes over; one that leaves out prior aid the
    declaration in force lists waits for a project manager's confirmation first (see
    rules.declaration_states), and until then the ceiling counts the aid of both.
    """

    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        related_name="deminimis_declarations",
        verbose_name=_("Company"),
    )
    declared_on = models.DateField(_("Declared on"))
    # Free text, not a link to a contact: the record must outlive the person.
    signatory = models.CharField(_("Signed by"), max_length=160, blank=True)
    on_behalf = models.BooleanField(_("recorded by the project management"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set when it is recorded: it left out prior aid that the declaration then in force lists.
    needs_confirmation = models.BooleanField(
        _("waits for confirmation"), default=False, editable=False
    )

    class Meta:
        ordering = ["company", "-declared_on", "-pk"]
        verbose_name = _("De-minimis declaration")
        verbose_name_plural = _("De-minimis declarations")
        indexes = [models.Index(fields=["company", "-declared_on"], name="funding_decl_latest_idx")]

    def __str__(self):
        return f"{self.company} {self.declared_on:%d.%m.%Y}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A submitted declaration is evidence and is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A submitted declaration is evidence and is never deleted.")


class DeclarationConfirmation(models.Model):
    """A project manager's confirmation that a declaration listing less prior aid takes over."""

    declaration = models.OneToOneField(
        Declaration,
        on_delete=models.PROTECT,
        related_name="confirmation",
        verbose_name=_("Declaration"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("Confirmed at"), auto_now_add=True)
    reason = models.TextField(_("Reason"))

    class Meta:
        verbose_name = _("Confirmation of a declaration")
        verbose_name_plural = _("Confirmations of declarations")

    def __str__(self):
        return str(self.declaration)


class PriorAid(models.Model):
    """De-minimis aid the company declared from other grantors."""

    declaration = models.ForeignKey(
        Declaration,
        on_delete=models.CASCADE,
        related_name="prior_aid",
        verbose_name=_("Declaration"),
    )
    grantor = models.CharField(_("Granting authority"), max_length=200)
    granted_on = models.DateField(_("Grant date"))
    amount = models.DecimalField(
        _("Amount (EUR)"), max_digits=12, decimal_places=2, validators=NOT_NEGATIVE
    )
    legal_basis = models.CharField(_("Legal basis"), max_length=200)

    class Meta:
        ordering = ["declaration", "granted_on"]
        verbose_name = _("Prior de-minimis aid")
        verbose_name_plural = _("Prior de-minimis aid")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_prior_aid_amount")
        ]

    def __str__(self):
        return f"{self.grantor} {self.granted_on:%d.%m.%Y}: {self.amount}"


class AidRecord(models.Model):
    """The de-minimis aid a workshop grants, with everything its certificate states.

    Granted at the binding booking (Reg. 2023/2831 Art. 3(3), see rules.py): the record is made
    then, dated then, and counts against the ceiling from then on. When the workshop is held it
    gets its certificate number and certificate; when it does not take place the aid is waived
    (the record stays). Copied at grant time, so later edits of the company or the programme
    change nothing here. An issued certificate is never rewritten: a correction is a new record
    with a new number that refers to the old one, which is then superseded.
    """

    number = models.CharField(_("Certificate number"), max_length=20, blank=True)
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.PROTECT,
        related_name="aid_records",
        verbose_name=_("Workshop"),
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="aid_records", verbose_name=_("Company")
    )
    regulation = models.ForeignKey(
        Regulation, on_delete=models.PROTECT, related_name="+", verbose_name=_("Regulation")
    )
    grant_date = models.DateField(_("Grant date"))
    held_on = models.DateField(_("Held on"), null=True, blank=True)
    waived_on = models.DateField(_("Waived on"), null=True, blank=True)
    waiver_reason = models.CharField(_("Reason for the waiver"), max_length=300, blank=True)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("Corrects certificate"),
    )
    superseded = models.BooleanField(_("superseded by a correction"), default=False)
    grantor = models.CharField(_("Granting authority"), max_length=200)
    instrument = models.CharField(_("Aid instrument"), max_length=200)
    hours = models.DecimalField(_("Consulting hours"), max_digits=5, decimal_places=1)
    hourly_value = models.DecimalField(
        _("Value per consulting hour (EUR)"), max_digits=9, decimal_places=2
    )
    contribution = models.DecimalField(
        _("Company contribution (EUR)"), max_digits=12, decimal_places=2
    )
    value = models.DecimalField(_("Aid value (EUR)"), max_digits=12, decimal_places=2)
    # Snapshots of the beneficiary for the certificate and the central register.
    company_name = models.CharField(_("Beneficiary"), max_length=200)
    company_address = models.CharField(_("Address"), max_length=250, blank=True)
    company_identifier = models.CharField(_("Enterprise identifier"), max_length=80, blank=True)
    nace_code = models.CharField(_("Sector (NACE Rev. 2.1 / WZ 2025)"), max_length=60, blank=True)
    wz2008_code = models.CharField(_("WZ 2008"), max_length=60, blank=True)
    module_name = models.CharField(_("Module"), max_length=120)
    # How many of the company's people took part (kept when a person is erased).
    participants = models.PositiveIntegerField(_("Participants"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The certificate: rendered once, then given out unchanged.
    certificate_pdf = models.BinaryField(_("Certificate (PDF)"), null=True, editable=False)
    certificate_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-grant_date", "-pk"]
        verbose_name = _("Aid record")
        verbose_name_plural = _("Aid records")
        indexes = [models.Index(fields=["company", "grant_date"], name="funding_aid_company_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0), name="funding_aid_value_not_negative"
            ),
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="funding_aid_number_unique"
            ),
            models.UniqueConstraint(
                fields=["workshop"],
                condition=Q(superseded=False),
                name="funding_aid_one_current_per_workshop",
            ),
        ]

    def __str__(self):
        return self.number or f"{self.company_name} {self.grant_date:%d.%m.%Y}"

    @property
    def counts(self) -> bool:
        """Counted against the ceiling: neither waived nor replaced by a correction."""
        return self.waived_on is None and not self.superseded

    @property
    def certificate_ready(self) -> bool:
        return bool(self.number) and self.held_on is not None


class NumberSequence(models.Model):
    """The last certificate number given out per year (numbers without gaps)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Certificate number sequence")
        verbose_name_plural = _("Certificate number sequences")

    def __str__(self):
        return f"{self.year}: {self.last}"


class ErdfProject(models.Model):
    """An ERDF-funded operation: its programme period decides the indicators (CO01/CO04 or
    RCO01/RCO04) and the visibility statement; the managing authority decides whether forum
    attendance counts as support (a setting here), and which forums are part of the project."""

    class Period(models.TextChoices):
        P2014 = "2014-2020", _("2014–2020 (Reg. 1303/2013, 1301/2013)")
        P2021 = "2021-2027", _("2021–2027 (Reg. 2021/1060, 2021/1058)")

    KEEPING_YEARS = 5  # from 31 December of the year of the last payment

    name = models.CharField(_("Name"), max_length=200)
    period = models.CharField(_("Programme period"), max_length=9, choices=Period.choices)
    fund = models.CharField(
        _("Fund"), max_length=120, default="Europäischer Fonds für regionale Entwicklung"
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="erdf_projects",
        verbose_name=_("SEFEX programme"),
        help_text=_("Its held workshops count as support."),
    )
    forums_count = models.BooleanField(
        _("forum attendance counts as support"),
        default=False,
        help_text=_("As the managing authority decided for this project."),
    )
    forums = models.ManyToManyField(
        Forum, blank=True, related_name="erdf_projects", verbose_name=_("Forums of the project")
    )
    last_payment_on = models.DateField(
        _("Last payment to the project"),
        null=True,
        blank=True,
        help_text=_("Empty while payments are outstanding: the evidence is then kept."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("ERDF project")
        verbose_name_plural = _("ERDF projects")

    def __str__(self):
        return self.name

    @property
    def keep_until(self) -> date | None:
        """The last day its evidence is kept (Reg. 2021/1060 Art. 82); None: kept, the date
        of the last payment is not known yet."""
        if self.last_payment_on is None:
            return None
        return date(self.last_payment_on.year + self.KEEPING_YEARS, 12, 31)
