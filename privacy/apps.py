from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the re-import guard
        from .consent import register_sample

        register_sample()  # the confirmation mail on the staff's page of mail templates
