"""The privacy app's mail, declared once: the confirmation of a consent (double opt-in), with
the exact text the person confirms and a link that works once and expires. Another app may send
it with its own template (publicpages); the row's kind stays this one."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from outbox.catalogue import MailKind, Recipient

from .models import Consent


def _context(consent: Consent, recipient: Recipient, *, confirm_url: str, page=None) -> dict:
    """`page`: what the asking app's template shows besides (a forum, for the public pages)."""
    return {
        **(page or {}),
        "contact": recipient.contact,
        "text_shown": consent.text_shown,
        "confirm_url": confirm_url,
        "expires_at": timezone.localtime(consent.expires_at),
    }


def _sample() -> dict:
    """Unsaved data for the staff's page of mail templates."""
    from members.models import Contact

    from .consent import consent_text, link_validity, site_url

    contact = Contact(pk=1, first_name="Anna", last_name="Alpha", email="anna@alpha.example")
    return {
        "contact": contact,
        "text_shown": consent_text(),
        "confirm_url": site_url("/privacy/consent/beispiel/"),
        "expires_at": timezone.localtime() + link_validity(),
    }


CONFIRMATION = MailKind(
    kind="privacy_consent_confirmation",
    label=gettext_lazy("Consent confirmation"),
    template="emails/privacy_consent",
    recipients=lambda consent: [Recipient.of_contact(consent.contact)],
    context=_context,
    sample=_sample,
)
KINDS = (CONFIRMATION,)
