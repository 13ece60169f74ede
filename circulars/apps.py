from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CircularsConfig(AppConfig):
    """Circulars ("Rundschreiben"): a cluster manager's plain mail with up to three PDFs to a
    segment of the network, now or at a chosen time. Above members, privacy and outbox: the
    audience is the outbox's, the legal basis for non-members privacy's."""

    name = "circulars"
    verbose_name = _("Circulars")

    def ready(self):
        from outbox import catalogue
        from outbox.attachments import register_source

        from . import mails
        from .attachments import ATTACHMENT_SOURCE, attachment_bytes

        register_source(ATTACHMENT_SOURCE, attachment_bytes)
        catalogue.register(*mails.KINDS)
