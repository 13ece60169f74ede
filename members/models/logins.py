"""The people who log in: staff, and company users who are each one contact of their company."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .organisations import Cluster, Company, Contact


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
    """A person who logs in with an e-mail address. A company login belongs to one company and
    one contact of it (the person) and is never staff; a staff login has neither (the database
    keeps the two apart). Roles: core.roles; who manages which login: logins.permissions.
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
    contact = models.OneToOneField(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="login",
        verbose_name=_("Contact"),
        help_text=_("The person at the company who logs in; staff logins have none."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("User")
        verbose_name_plural = _("User")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(company__isnull=True, contact__isnull=True)
                | models.Q(company__isnull=False, contact__isnull=False),
                name="user_company_login_has_contact",
                violation_error_message=_(
                    "A company login belongs to one contact of its company; a staff login "
                    "to neither company nor contact."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(company__isnull=True)
                | models.Q(is_staff=False, is_superuser=False),
                name="user_company_login_not_staff",
                violation_error_message=_("A company login cannot be staff or superuser."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_session_auth_hash(self):
        # A login from the cache (core.login_cache) carries the hash, its password left
        # deferred; once the password is read or set, the hash is worked out from it.
        if "password" not in self.__dict__ and "_session_auth_hash" in self.__dict__:
            return self.__dict__["_session_auth_hash"]
        return super().get_session_auth_hash()

    @property
    def is_company_login(self) -> bool:
        return self.company_id is not None

    def clean(self):
        super().clean()
        if self.contact_id is None:
            return
        contact_company = (
            Contact.objects.filter(pk=self.contact_id).values_list("company_id", flat=True).first()
        )
        if self.company_id is None:
            self.company_id = contact_company
        elif self.company_id != contact_company:
            raise ValidationError({"contact": _("The contact must work at the login's company.")})


class ClusterGrant(models.Model):
    """A staff login manages one cluster: its forums, invitations, registrations, figures and
    its relationships with companies. A login without grants manages none, unless it is
    agency-wide (core.roles.Role.AGENCY_WIDE) or the agency administrator."""

    login = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="cluster_grants", verbose_name=_("Login")
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="grants", verbose_name=_("Cluster")
    )
    granted_at = models.DateTimeField(_("Granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Managed cluster")
        verbose_name_plural = _("Managed clusters")
        constraints = [
            models.UniqueConstraint(fields=["login", "cluster"], name="cluster_grant_once"),
        ]

    def __str__(self):
        return f"{self.login} – {self.cluster}"
