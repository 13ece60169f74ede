from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = _("Operations")

    def ready(self):
        # Funding evidence refuses deletion before its legal keeping period ends.
        from . import receivers  # noqa: F401
