"""Receivers on contacts: the re-import guard, and consents that follow the address.

Re-import guard: a new contact whose address was suppressed starts opted out.

The outbox keeps plain suppressions by address, which survive deleting a contact; an
erased person's address is kept only as a keyed hash (privacy.HashedSuppression). When a
contact is created (form, import, API) with such an address, it is marked opted out at
once and the plain suppression is restored, so no advertising mail goes out again.
"""

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from members.models import Contact
from outbox.models import Suppression

from . import consent
from .hashing import email_digest
from .models import HashedSuppression


@receiver(post_save, sender=Contact, dispatch_uid="privacy_reimport_guard")
def contact_created_guard(sender, instance: Contact, created: bool, raw=False, **kwargs):
    if raw or not created or not instance.email or instance.opted_out_at:
        return
    email = instance.email.strip().lower()
    plain = Suppression.objects.filter(email__iexact=email).exists()
    hashed = HashedSuppression.objects.filter(digest=email_digest(email)).exists()
    if not (plain or hashed):
        return
    with transaction.atomic():
        if not plain:
            Suppression.objects.create(email=email, reason=Suppression.Reason.OPT_OUT)
        now = timezone.now()
        Contact.objects.filter(pk=instance.pk).update(opted_out_at=now)
        instance.opted_out_at = now


@receiver(post_save, sender=Contact, dispatch_uid="privacy_opt_out_keeps_suppression")
def contact_opt_out_kept(sender, instance: Contact, created: bool, raw=False, **kwargs):
    """An opt-out recorded on the contact (members.contact_opt_out) also becomes a suppression
    entry by address, so it outlives the contact's deletion and a later re-import."""
    if raw or created or not instance.email or not instance.opted_out_at:
        return
    email = instance.email.strip().lower()
    if not Suppression.objects.filter(email__iexact=email).exists():
        Suppression.objects.create(email=email, reason=Suppression.Reason.OPT_OUT)


@receiver(pre_save, sender=Contact, dispatch_uid="privacy_consent_address_check")
def consent_address_check(sender, instance: Contact, raw=False, **kwargs):
    """Notes, before the save, whether a consent was given at the address being replaced."""
    if not raw:
        instance.consent_address_changed = consent.consent_for_old_address(instance)


@receiver(post_save, sender=Contact, dispatch_uid="privacy_consent_follows_address")
def consent_follows_address(sender, instance: Contact, raw=False, **kwargs):
    """A changed address ends the consent and asks the new one (consent_address_changed)."""
    if not raw and getattr(instance, "consent_address_changed", False):
        instance.consent_address_changed = False
        consent.consent_address_changed(contact=instance)
