from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        # Registers the token scheme with drf-spectacular (import for its side effect).
        from . import schema  # noqa: F401
