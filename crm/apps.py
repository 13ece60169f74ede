from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    """The cluster team's contact history with companies: activities (notes, calls, visits,
    mails) and follow-up tasks with a reminder mail on the due morning. Above members, forums,
    sefex, outbox and cockpit: the company page's one timeline merges all of them."""

    name = "crm"
    verbose_name = _("Contact history")

    def ready(self):
        from atlas.selectors import enquiry_counts
        from core.fragments import register_company_section
        from core.roles import Role, has_role
        from members.clusters import within_clusters
        from outbox import catalogue

        from . import mails, selectors

        catalogue.register(*mails.KINDS)
        # Replaces the cockpit's engagement section (same key): one timeline, not two.
        register_company_section(
            "engagement",
            title=_("Contact history"),
            template="crm/fragments/company_timeline.html",
            context=lambda company, request: {
                **selectors.company_section(company, within_clusters(request.user)),
                # The competence directory's contact requests, received and sent.
                "enquiries": enquiry_counts(company),
            },
            order=15,
            visible=lambda request: has_role(request.user, Role.CLUSTER_MANAGER),
        )
