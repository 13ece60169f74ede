from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from outbox import catalogue

        from . import mails, receivers  # noqa: F401 - receivers connects the re-import guard

        catalogue.register(*mails.KINDS)
