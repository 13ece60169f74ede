from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    name = "cockpit"
    verbose_name = _("Cockpit")

    def ready(self):
        from atlas.selectors import enquiry_counts
        from core.fragments import register_company_section
        from core.roles import Role, has_role
        from members.clusters import within_clusters

        from . import engagement

        # The staff company page shows the company's engagement to cluster managers.
        register_company_section(
            "engagement",
            title=_("Engagement"),
            template="cockpit/fragments/company_timeline.html",
            context=lambda company, request: {
                "timeline": engagement.company_timeline(company, within_clusters(request.user)),
                "enquiries": enquiry_counts(company),
            },
            order=15,
            visible=lambda request: has_role(request.user, Role.CLUSTER_MANAGER),
        )
