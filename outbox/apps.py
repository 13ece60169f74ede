from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """Outgoing mail shared by forums and sefex: one row per mail, sent exactly once."""

    name = "outbox"
    verbose_name = _("Outgoing mail")

    def ready(self):
        from anymail.signals import tracking

        from . import catalogue
        from .webhooks import tracking_event_received

        catalogue.register(*catalogue.KINDS)

        tracking.connect(tracking_event_received, dispatch_uid="outbox.bounces")
