from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Audit trail")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each app declares the actions it records in its own `audit.py` (see core.audit).
        autodiscover_modules("audit")
