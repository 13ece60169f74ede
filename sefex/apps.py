from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SefexConfig(AppConfig):
    name = "sefex"
    verbose_name = _("SEFEX workshops")

    def ready(self):
        from core.fragments import register_company_section
        from core.roles import is_staff_role
        from outbox import catalogue

        from . import mails, selectors

        catalogue.register(*mails.KINDS)

        # The company page shows the company's workshops and its maturity chart; a company user
        # sees the scores of released minutes only.
        register_company_section(
            "sefex",
            title=_("Workshops"),
            template="sefex/fragments/company_workshops.html",
            context=lambda company, request: {
                "sefex_workshops": list(selectors.company_workshops(company)[:50]),
                "chart": selectors.maturity_chart(
                    company, released_only=not is_staff_role(request.user)
                ),
            },
            order=30,
        )
