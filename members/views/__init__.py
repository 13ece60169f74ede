"""Pages of the members app: the staff directory and company pages, and the company portal.

Company-scoped pages first find the object for the user (a foreign id answers 404), then
check the role (a reachable object with the wrong role answers 403).

The views live in modules by audience and task (directory, company, contacts, imports,
portal); the URLs import them from here.
"""

from .company import (
    company_contacts_export,
    company_create,
    company_detail,
    company_edit,
    company_history,
    relationship_create,
    sme_figures_delete,
    sme_figures_edit,
    sme_holding_create,
    sme_holding_delete,
)
from .contacts import (
    contact_create,
    contact_delete,
    contact_edit,
    contact_history,
    contact_opt_in,
    contact_undeliverable_lift,
)
from .directory import (
    company_autocomplete,
    contact_autocomplete,
    contacts,
    contacts_export,
    directory,
    directory_export,
)
from .identity import (
    agency_identity_edit,
    cluster_identity_edit,
    identity_list,
    identity_logo,
)
from .imports import (
    import_companies,
    import_template,
)
from .portal import (
    portal,
    portal_contact_create,
    portal_contact_delete,
    portal_contact_edit,
    portal_contacts_export,
    portal_invitations,
    portal_profile,
)

__all__ = [
    "directory",
    "directory_export",
    "contacts",
    "contacts_export",
    "company_autocomplete",
    "contact_autocomplete",
    "company_detail",
    "company_create",
    "company_edit",
    "company_history",
    "company_contacts_export",
    "relationship_create",
    "sme_figures_edit",
    "sme_figures_delete",
    "sme_holding_create",
    "sme_holding_delete",
    "contact_create",
    "contact_edit",
    "contact_delete",
    "contact_opt_in",
    "contact_undeliverable_lift",
    "contact_history",
    "identity_list",
    "agency_identity_edit",
    "cluster_identity_edit",
    "identity_logo",
    "import_companies",
    "import_template",
    "portal",
    "portal_profile",
    "portal_contact_create",
    "portal_contact_edit",
    "portal_contact_delete",
    "portal_invitations",
    "portal_contacts_export",
]
