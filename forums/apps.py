from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Metal forums")

    def ready(self):
        from core.fragments import register_company_section
        from members.clusters import in_managed_clusters
        from outbox import catalogue
        from outbox.permissions import register_cluster_bound

        from . import mails, selectors
        from .models import Forum
        from .permissions import managed_forums

        catalogue.register(*mails.KINDS)
        # Mails and invitation batches about a forum: its cluster's managers see them.
        register_cluster_bound(Forum, lambda user: managed_forums(user).values("pk"))

        # The staff company page shows which forums the company's people attended.
        register_company_section(
            "forums",
            title=_("Forums attended"),
            template="forums/fragments/company_forums.html",
            context=lambda company, request: {
                "forum_registrations": list(
                    selectors.company_forum_history(company).filter(
                        in_managed_clusters(request.user, "forum__cluster")
                    )[:50]
                )
            },
            order=20,
        )
