"""The contact request mail: to the profile's named contact, with the enquirer's name,
company, address and message, so the answer goes straight to the enquirer."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from outbox.models import Mail
from outbox.services import mail_queue

from .models import Enquiry

ENQUIRY_KIND = "atlas_enquiry"
TEMPLATE = "emails/atlas_enquiry"


def enquiry_queue(enquiry: Enquiry) -> Mail | None:
    """Queues the mail in the caller's transaction (one per request)."""
    profile, contact = enquiry.profile, enquiry.profile.contact
    sender = enquiry.sender
    return mail_queue(
        kind=ENQUIRY_KIND,
        related=enquiry,
        recipient_email=contact.email,
        contact=contact,
        language=contact.language or "de",
        template=TEMPLATE,
        context={
            "name": contact.full_name,
            "company": profile.company.legal_name,
            "sender_name": sender.contact.full_name if sender.contact_id else sender.email,
            "sender_company": enquiry.sender_company.legal_name,
            "sender_email": sender.email,
            "message": enquiry.message,
            "profile_link": settings.SITE_URL.rstrip("/")
            + reverse("atlas:profile", args=[profile.pk]),
        },
    )


def _sample() -> dict:
    return {
        "name": "Anna Alpha",
        "company": "Alpha Präzisionstechnik GmbH",
        "sender_name": "Bruno Beta",
        "sender_company": "Beta Stanztechnik GmbH",
        "sender_email": "bruno@beta.example",
        "message": "Wir suchen einen Partner für das Fräsen von Aluminiumgehäusen, "
        "rund 500 Stück im Jahr. Haben Sie dafür Kapazität?",
        "profile_link": settings.SITE_URL.rstrip("/") + "/atlas/1/",
    }


def register_sample() -> None:
    from outbox.samples import register

    register(
        kind=ENQUIRY_KIND,
        label=_("Contact request from the competence directory"),
        template=TEMPLATE,
        sample=_sample,
    )
