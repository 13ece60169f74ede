from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SefexConfig(AppConfig):
    name = "sefex"
    verbose_name = _("SEFEX workshops")

    def ready(self):
        from metalldialog.fragments import register_company_section

        from . import samples, selectors

        samples.register_all()

        # The staff company page shows the company's workshops and its maturity chart.
        register_company_section(
            "sefex",
            title=_("Workshops"),
            template="sefex/fragments/company_workshops.html",
            context=lambda company, request: {
                "sefex_workshops": list(selectors.company_workshops(company)[:50]),
                "chart": selectors.maturity_chart(company),
            },
            order=30,
        )
