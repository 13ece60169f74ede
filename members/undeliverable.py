"""Writes about addresses that cannot receive mail: the outbox reports hard bounces and spam
complaints here (it may not update the members' tables itself), staff lift a mark by hand.

A mark stays until the address changes (Contact.save clears it) or staff lift it.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import Contact

REASON_LENGTH = Contact._meta.get_field("undeliverable_reason").max_length


@transaction.atomic
def contacts_undeliverable_mark(*, email: str, reason: str, at: datetime | None = None) -> int:
    """Marks every contact with this address (any spelling) as undeliverable; a contact
    already marked keeps its first date and reason. Returns how many were newly marked."""
    address = (email or "").strip()
    if not address:
        return 0
    marked = 0
    contacts = Contact.objects.select_for_update().filter(
        email__iexact=address, undeliverable_at__isnull=True
    )
    for contact in contacts:
        contact.undeliverable_at = at or timezone.now()
        contact.undeliverable_reason = reason[:REASON_LENGTH]
        # save() so the contact's history shows when the mark came
        contact.save(update_fields=["undeliverable_at", "undeliverable_reason", "updated_at"])
        marked += 1
    return marked


@transaction.atomic
def contact_undeliverable_lift(*, contact: Contact) -> Contact:
    """Staff lift the mark (the mailbox works again) without changing the address."""
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    if locked.undeliverable_at is not None:
        locked.undeliverable_at = None
        locked.undeliverable_reason = ""
        locked.save(update_fields=["undeliverable_at", "undeliverable_reason", "updated_at"])
    return locked
