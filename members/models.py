"""Clusters, companies, their contacts and the people who log in.

The foundation keeps these minimal; the members issue grows them.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Cluster(models.Model):
    name = models.CharField(_("Name"), max_length=120, unique=True)
    slug = models.SlugField(_("Short name"), unique=True)
    description = models.TextField(_("Description"), blank=True)

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


class Company(models.Model):
    legal_name = models.CharField(_("Legal name"), max_length=200)
    short_name = models.CharField(_("Short name"), max_length=80, blank=True)
    street = models.CharField(_("Street"), max_length=120, blank=True)
    postcode = models.CharField(_("Postcode"), max_length=10, blank=True)
    city = models.CharField(_("City"), max_length=80, blank=True)
    website = models.URLField(_("Website"), blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("Sectors"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("Company")
        verbose_name_plural = _("Company")

    def __str__(self):
        return self.short_name or self.legal_name


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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("Contact")
        verbose_name_plural = _("Contacts")

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with an e-mail address.

    A company user belongs to exactly one company; staff roles have none.
    """

    username = None
    email = models.EmailField(_("E-mail"), unique=True)
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("Company"),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("User")
        verbose_name_plural = _("User")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email
