from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "publicpages"
    verbose_name = _("Public forum pages")

    def ready(self):
        from outbox import catalogue

        from . import mails, receivers

        receivers.connect()
        catalogue.register(*mails.KINDS)
