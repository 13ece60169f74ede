from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasConfig(AppConfig):
    """The competence directory ("Kompetenzatlas"): what member companies can do, published by
    their choice, searched by other members, who ask for contact by a mail through the outbox.
    Above members and outbox; the cockpit reads its enquiry counts."""

    name = "atlas"
    verbose_name = _("Competence directory")

    def ready(self):
        from outbox import catalogue

        from . import mails

        catalogue.register(*mails.KINDS)
