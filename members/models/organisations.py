"""Clusters, sectors, topics, companies, their relationships to a cluster, and their contacts."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from ..postcodes import validate_postcode
from ..wz import title as wz_title
from ..wz import validate_wz2008, validate_wz2025
from .identity import IdentityFields


class Cluster(IdentityFields):
    name = models.CharField(_("Name"), max_length=120, unique=True)
    slug = models.SlugField(_("Short name"), unique=True)
    description = models.TextField(_("Description"), blank=True)
    privacy_notice = models.TextField(
        _("Privacy notice"),
        blank=True,
        help_text=_("Markdown; what this cluster adds to the agency's privacy notice."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Cluster")
        verbose_name_plural = _("Cluster")

    def __str__(self):
        return self.name


class Sector(models.Model):
    """A sub-sector of the metal industry with its WZ 2008 and WZ 2025 codes (DOMAIN.md)."""

    number = models.PositiveSmallIntegerField(_("Number"), unique=True)
    name = models.CharField(_("Name"), max_length=200)
    wz2008 = models.CharField(_("WZ 2008"), max_length=60)
    wz2025 = models.CharField(_("WZ 2025"), max_length=60)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Sector")
        verbose_name_plural = _("Sectors")

    def __str__(self):
        return self.name


class Topic(models.Model):
    """A topical focus: what a forum is about and what a contact is interested in."""

    name = models.CharField(_("Name"), max_length=120, unique=True)
    slug = models.SlugField(_("Short name"), unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Topic")
        verbose_name_plural = _("Topics")

    def __str__(self):
        return self.name


class SmeClass(models.TextChoices):
    """Size class of an enterprise by EU Recommendation 2003/361/EC (see members/sme.py)."""

    MICRO = "micro", _("Micro enterprise")
    SMALL = "small", _("Small enterprise")
    MEDIUM = "medium", _("Medium-sized enterprise")
    LARGE = "large", _("Large enterprise")


class Company(models.Model):
    class Production(models.TextChoices):
        CONTRACT = "contract", _("Contract manufacturer")
        PRODUCTS = "products", _("Own products")
        BOTH = "both", _("Contract manufacturing and own products")

    legal_name = models.CharField(_("Legal name"), max_length=200)
    short_name = models.CharField(_("Short name"), max_length=80, blank=True)
    legal_form = models.CharField(_("Legal form"), max_length=40, blank=True)
    # Either identifier makes an enterprise unique (ERDF counting, import matching).
    register_number = models.CharField(
        _("Commercial register number"),
        max_length=40,
        blank=True,
        help_text=_("e.g. HRB 123456, Amtsgericht Stuttgart"),
    )
    vat_id = models.CharField(_("VAT id"), max_length=20, blank=True)
    street = models.CharField(_("Street"), max_length=120, blank=True)
    postcode = models.CharField(_("Postcode"), max_length=10, blank=True)
    city = models.CharField(_("City"), max_length=80, blank=True)
    # The postcode's format depends on it (postcodes.py); the cluster's companies are German.
    country = CountryField(_("Country"), default="DE")
    website = models.URLField(_("Website"), blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("Sectors"), blank=True)
    production = models.CharField(
        _("Manufacturing"), max_length=10, choices=Production.choices, blank=True
    )
    # One economic activity code (members/wz.py); certificates and the de-minimis register
    # carry the WZ 2025 class, never a sector's range.
    wz2025 = models.CharField(
        _("Economic activity (WZ 2025 / NACE Rev. 2.1)"),
        max_length=7,
        blank=True,
        validators=[validate_wz2025],
        help_text=_("The main class, e.g. 25.53, or a sub-class, e.g. 25.53.0."),
    )
    wz2008 = models.CharField(
        _("Economic activity (WZ 2008)"),
        max_length=7,
        blank=True,
        validators=[validate_wz2008],
        help_text=_("The main class, e.g. 25.62, or a sub-class, e.g. 25.62.0."),
    )
    # Kept current by services.sme_figures_save & co. so lists can filter on it cheaply;
    # blank while no figures are recorded.
    sme_class = models.CharField(
        _("SME class"), max_length=6, choices=SmeClass.choices, blank=True, editable=False
    )
    sme_declared_on = models.DateField(_("SME declaration signed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("Company")
        verbose_name_plural = _("Company")
        constraints = [
            models.UniqueConstraint(
                fields=["register_number"],
                condition=~models.Q(register_number=""),
                name="company_register_number_unique",
                violation_error_message=_(
                    "A company with this commercial register number exists already."
                ),
            ),
            models.UniqueConstraint(
                fields=["vat_id"],
                condition=~models.Q(vat_id=""),
                name="company_vat_id_unique",
                violation_error_message=_("A company with this VAT id exists already."),
            ),
        ]
        indexes = [
            # Postcode areas are prefix searches (LIKE '74%'); the pattern opclass lets
            # PostgreSQL use the index whatever the collation (ignored elsewhere).
            models.Index(
                fields=["postcode"],
                name="company_postcode_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(fields=["legal_name", "id"], name="company_directory_order_idx"),
            # The directory's count of a filter by SME class and postcode area reads this index
            # alone (the id included), not the table.
            models.Index(
                fields=["sme_class", "postcode"],
                name="company_class_postcode_idx",
                opclasses=["text_ops", "varchar_pattern_ops"],
                include=["id"],
            ),
        ]

    def __str__(self):
        return self.short_name or self.legal_name

    @property
    def wz2025_title(self) -> str:
        return wz_title(self.wz2025, "wz2025")

    @property
    def wz2008_title(self) -> str:
        return wz_title(self.wz2008, "wz2008")

    def clean(self):
        super().clean()
        self.postcode = (self.postcode or "").strip().upper()
        try:
            validate_postcode(self.postcode, str(self.country or "DE"))
        except ValidationError as error:
            raise ValidationError({"postcode": error}) from error


class Relationship(models.Model):
    """A company's relationship to one cluster over a period."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member")
        PARTNER = "partner", _("Network partner")
        PROSPECT = "prospect", _("Prospect")
        FORMER = "former", _("former member")

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="relationships",
        verbose_name=_("Company"),
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="relationships", verbose_name=_("Cluster")
    )
    kind = models.CharField(_("Kind"), max_length=10, choices=Kind.choices)
    valid_from = models.DateField(_("since"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("Note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cluster__name", "-valid_from"]
        verbose_name = _("Relationship to a cluster")
        verbose_name_plural = _("Relationships to clusters")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="relationship_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["company", "cluster"],
                condition=models.Q(valid_to__isnull=True),
                name="relationship_one_current_per_cluster",
            ),
        ]
        indexes = [
            # "Is a current member": answered from the index alone (directory, audiences,
            # sleeping members), the period's dates included.
            models.Index(
                fields=["kind", "company"],
                name="relationship_kind_company_idx",
                include=["valid_from", "valid_to", "cluster"],
            ),
        ]

    def __str__(self):
        return f"{self.company} – {self.cluster}: {self.get_kind_display()}"


class Contact(models.Model):
    class Salutation(models.TextChoices):
        MS = "ms", _("Ms")
        MR = "mr", _("Mr")
        NONE = "", _("no salutation")

    class Function(models.TextChoices):
        MANAGEMENT = "management", _("Management")
        TECHNOLOGY = "technology", _("Technology")
        PRODUCTION = "production", _("Production")
        SALES = "sales", _("Sales")
        HR = "hr", _("Human resources")
        PURCHASING = "purchasing", _("Purchasing")
        QUALITY = "quality", _("Quality")
        OTHER = "other", _("Other")

    class Language(models.TextChoices):
        GERMAN = "de", _("German")
        ENGLISH = "en", _("English")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("Company")
    )
    salutation = models.CharField(
        _("Salutation"), max_length=4, choices=Salutation.choices, blank=True
    )
    title = models.CharField(_("Title"), max_length=40, blank=True)
    first_name = models.CharField(_("First name"), max_length=80)
    last_name = models.CharField(_("Last name"), max_length=80)
    function = models.CharField(
        _("Function"), max_length=12, choices=Function.choices, default=Function.OTHER
    )
    email = models.EmailField(_("E-mail"), blank=True)
    phone = models.CharField(_("Phone"), max_length=40, blank=True)
    language = models.CharField(
        _("Language"), max_length=2, choices=Language.choices, default=Language.GERMAN
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("Topic interests"), blank=True, related_name="interested_contacts"
    )
    # The company chooses which colleagues get forum invitations.
    receives_invitations = models.BooleanField(_("receives forum invitations"), default=True)
    # Set by the mail system's one-click opt-out; no mail goes out while it is set.
    opted_out_at = models.DateTimeField(_("opted out at"), null=True, blank=True)
    # Set by the outbox when the address bounced for good or its owner complained (spam);
    # no mail goes to the address while it is set. A new address clears it (save()).
    undeliverable_at = models.DateTimeField(_("address undeliverable since"), null=True, blank=True)
    undeliverable_reason = models.CharField(
        _("why the address is undeliverable"), max_length=300, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("Contact")
        verbose_name_plural = _("Contacts")
        constraints = [
            # Target of the logins' (contact, company) foreign key: a login's person works there.
            models.UniqueConstraint(fields=["id", "company"], name="contact_id_company_unique"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        loaded = getattr(self, "loaded_email", None)
        if (
            self.undeliverable_at is not None
            and loaded is not None
            and self.email.strip().lower() != loaded.strip().lower()
        ):
            # A new address may well work: the mark belonged to the old one.
            self.undeliverable_at = None
            self.undeliverable_reason = ""
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {
                    *update_fields,
                    "undeliverable_at",
                    "undeliverable_reason",
                }
        super().save(*args, **kwargs)
        self.loaded_email = self.email

    @classmethod
    def from_db(cls, db, field_names, values):
        contact = super().from_db(db, field_names, values)
        # The address as loaded: save() tells a changed address from an unchanged one.
        contact.loaded_email = contact.__dict__.get("email")
        return contact

    def clean(self):
        super().clean()
        if self.pk and self.company_id:
            moved_with_login = (
                Contact.objects.filter(pk=self.pk, login__isnull=False)
                .exclude(company_id=self.company_id)
                .exists()
            )
            if moved_with_login:
                raise ValidationError(
                    {
                        "company": _(
                            "This person logs in for their company; a login cannot move to "
                            "another company. Deactivate the login and create a new one there."
                        )
                    }
                )

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)

    @property
    def is_opted_out(self) -> bool:
        return self.opted_out_at is not None
