"""The atlas app's mail, declared once: the contact request, to the profile's named contact,
with the enquirer's name, company, address and message, so the answer goes straight to the
enquirer."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from outbox.catalogue import MailKind, Recipient
from outbox.models import Mail

from .models import Enquiry

ENQUIRY_KIND = "atlas_enquiry"


def _recipients(enquiry: Enquiry) -> list[Recipient]:
    return [Recipient.of_contact(enquiry.profile.contact)]


def _context(enquiry: Enquiry, recipient: Recipient) -> dict:
    profile, sender = enquiry.profile, enquiry.sender
    return {
        "name": recipient.name,
        "company": profile.company.legal_name,
        "sender_name": sender.contact.full_name if sender.contact_id else sender.email,
        "sender_company": enquiry.sender_company.legal_name,
        "sender_email": sender.email,
        "message": enquiry.message,
        "profile_link": settings.SITE_URL.rstrip("/") + reverse("atlas:profile", args=[profile.pk]),
    }


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


ENQUIRY = MailKind(
    kind=ENQUIRY_KIND,
    label=_("Contact request from the competence directory"),
    template="emails/atlas_enquiry",
    recipients=_recipients,
    context=_context,
    sample=_sample,
)
KINDS = (ENQUIRY,)


def enquiry_queue(enquiry: Enquiry) -> Mail | None:
    """Queues the mail in the caller's transaction (one per request)."""
    return ENQUIRY.queue_one(enquiry)
