from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoginsConfig(AppConfig):
    """Managing company logins: create one for a contact, deactivate, reactivate, send a
    set-password link. Above members (the login model) and outbox (the link goes by mail)."""

    name = "logins"
    verbose_name = _("Logins")

    def ready(self):
        from core.fragments import register_company_section
        from outbox import catalogue

        from . import mails, permissions, selectors

        catalogue.register(*mails.KINDS)
        register_company_section(
            "logins",
            title=_("Logins"),
            template="logins/fragments/company_logins.html",
            context=lambda company, request: {"logins": selectors.company_logins(company)},
            order=15,
            visible=lambda request: permissions.may_manage_logins_of(request.user),
        )
