from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SefexConfig(AppConfig):
    name = "sefex"
    verbose_name = _("SEFEX workshops")
