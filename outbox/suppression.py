"""Who may not receive advertising mail: opted-out contacts and suppressed addresses."""

from django.db.models.functions import Lower
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from members.models import Contact

from .models import Suppression


def suppression_reason(email: str, contact: Contact | None) -> str:
    """Why an advertising mail may not go to this recipient, or "" if it may."""
    opted_out = getattr(contact, "opted_out_at", None) if contact is not None else None
    if opted_out:
        return _("The contact opted out of invitations on %(date)s.") % {
            "date": formats.date_format(timezone.localtime(opted_out), "SHORT_DATETIME_FORMAT")
        }
    entry = Suppression.objects.filter(email__iexact=email).first()
    if entry:
        return _("The address is on the suppression list since %(date)s (%(reason)s).") % {
            "date": formats.date_format(
                timezone.localtime(entry.created_at), "SHORT_DATETIME_FORMAT"
            ),
            "reason": entry.get_reason_display(),
        }
    return ""


def suppressed_among(emails: set[str]) -> set[str]:
    """Which of these (lower-case) addresses are suppressed, in one query."""
    if not emails:
        return set()
    return set(
        Suppression.objects.annotate(address=Lower("email"))
        .filter(address__in=emails)
        .values_list("address", flat=True)
    )


def undeliverable_reason(email: str, contact: Contact | None) -> str:
    """Why no mail at all goes to this recipient (the address bounced for good or its owner
    complained), or "" if it may. The mark belongs to the contact's current address."""
    marked = getattr(contact, "undeliverable_at", None) if contact is not None else None
    if marked is None or (contact.email or "").strip().lower() != email.strip().lower():
        return ""
    return _("The address is undeliverable since %(date)s (%(reason)s).") % {
        "date": formats.date_format(timezone.localtime(marked), "SHORT_DATETIME_FORMAT"),
        "reason": contact.undeliverable_reason,
    }
