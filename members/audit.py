"""The actions the members app records in the audit trail (see core.actions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.actions import register


@register
class LoginAction(models.TextChoices):
    CREATED = "login.created", _("Login created")
    DEACTIVATED = "login.deactivated", _("Login deactivated")
    REACTIVATED = "login.reactivated", _("Login reactivated")
    CLOSED = "login.closed", _("Login closed (erasure)")
    PASSWORD_LINK_SENT = "login.password_link_sent", _("Set-password link sent")
    PASSWORD_SET = "login.password_set", _("Password set by the person")
    CLUSTERS_GRANTED = "login.clusters_granted", _("Managed clusters changed")


@register
class HoldingAction(models.TextChoices):
    ADDED = "sme_holding.added", _("Holding between companies recorded")
    REMOVED = "sme_holding.removed", _("Holding between companies removed")


@register
class ContactAction(models.TextChoices):
    CREATED = "contact.created", _("Contact created")
    CHANGED = "contact.changed", _("Contact changed")
    DELETED = "contact.deleted", _("Contact removed")
    OPTED_OUT = "contact.opted_out", _("Opted out of advertising mail")
    OPTED_IN = "contact.opted_in", _("Opt-out lifted")


@register
class CompanyAction(models.TextChoices):
    CREATED = "company.created", _("Company created")
    CHANGED = "company.changed", _("Company changed")
    SME_FIGURES_SAVED = "company.sme_figures_saved", _("SME figures of a year saved")
    SME_FIGURES_DELETED = "company.sme_figures_deleted", _("SME figures of a year deleted")


@register
class RelationshipAction(models.TextChoices):
    STARTED = "relationship.started", _("Relationship to a cluster started")
    ENDED = "relationship.ended", _("Relationship to a cluster ended")


@register
class IdentityAction(models.TextChoices):
    CLUSTER_CHANGED = "identity.cluster_changed", _("Identity of a cluster changed")
    AGENCY_CHANGED = "identity.agency_changed", _("Identity of the agency changed")
