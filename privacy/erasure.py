"""Erasure (GDPR Art. 17): anonymise one person, keep the records that must outlive them.

Registrations, workshop participation and funding records keep pointing at the (now
anonymous) contact, so attendance counts and ERDF / de-minimis figures do not change
(Art. 17(3)(b); funding records copy names of companies, not of persons; attendance an ERDF
project counts is evidence operations.retention refuses to delete). What is removed:
the person's name, title, e-mail and phone in the contact, in every history row of it, in
the mails addressed to it (recipient, subject, bodies, attachments), and any occurrence of
the full name or address in free text of any table, and a login of the person at the
contact's company (closed, see members.services.user_close). The address stays suppressed as a
keyed hash only (see hashing.py), because the plain address would itself be the personal
datum the person asked us to delete.
"""

from django.apps import apps
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Cast, Replace
from django.utils import timezone

from core import audit
from core.models import AuditEvent
from core.text import clean_text
from members.models import Contact, User
from members.services import user_close
from outbox.models import Mail, Suppression

from .audit import PrivacyAction
from .hashing import email_digest
from .models import Consent, HashedSuppression

TEXT_FIELDS = (models.CharField, models.TextField)  # EmailField, SlugField, URLField included


def _placeholder(contact_id: int) -> dict:
    return {
        "salutation": "",
        "title": "",
        "first_name": "Anonymisiert",
        "last_name": f"#{contact_id}",
        "email": "",
        "phone": "",
    }


def _needles(contact: Contact) -> list[str]:
    """The strings that identify the person in free text, longest first."""
    names = {
        contact.full_name,
        " ".join(p for p in (contact.first_name, contact.last_name) if p),
        ", ".join(p for p in (contact.last_name, contact.first_name) if p),
    }
    if contact.email:
        names |= {contact.email, contact.email.lower()}
    return sorted((n for n in names if len(n) >= 5), key=len, reverse=True)


def _scrub_json(model, field, needles: list[str], replacement: str) -> int:
    """The same inside a JSON column (the audit trail's values before and after), on its text."""
    changed = 0
    as_text = Cast(F(field.attname), models.TextField())
    for needle in needles:
        if any(ch in needle for ch in '"\\'):
            continue  # would need JSON escaping; names and addresses have no such characters
        rows = model._base_manager.alias(scrub_text=as_text)
        for variant in {needle, needle.lower(), needle.upper()}:
            changed += rows.filter(scrub_text__contains=variant).update(
                **{field.attname: Cast(Replace(as_text, Value(variant), Value(replacement)), field)}
            )
    return changed


def _scrub_free_text(needles: list[str], replacement: str) -> int:
    """Replaces each needle in every text column of every model; returns rows changed."""
    changed = 0
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.JSONField):
                changed += _scrub_json(model, field, needles, replacement)
                continue
            if not isinstance(field, TEXT_FIELDS) or field.choices or field.primary_key:
                continue
            for needle in needles:
                rows = model._base_manager.filter(**{f"{field.attname}__icontains": needle})
                for variant in {needle, needle.lower(), needle.upper()}:
                    changed += rows.filter(**{f"{field.attname}__contains": variant}).update(
                        **{
                            field.attname: Replace(
                                F(field.attname), Value(variant), Value(replacement)
                            )
                        }
                    )
    return changed


@transaction.atomic
def contact_erase(
    *, contact: Contact, actor, reason: str, action: str = PrivacyAction.ERASED
) -> AuditEvent:
    """Anonymises `contact` everywhere and records who did it and why; returns the audit event."""
    reason = clean_text(reason, max_length=300, required=True)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    needles = _needles(contact)
    email = contact.email.strip().lower()
    placeholder = _placeholder(contact.pk)
    replacement = "{} {}".format(placeholder["first_name"], placeholder["last_name"])

    if email:
        # Keep "do not advertise to this address" without keeping the address.
        HashedSuppression.objects.get_or_create(digest=email_digest(email))
        Suppression.objects.filter(email__iexact=email).delete()

    mails = Mail.objects.filter(models.Q(contact=contact) | models.Q(recipient_email=email or None))
    mail_count = 0
    for mail_id in mails.values_list("pk", flat=True):
        Mail.objects.filter(pk=mail_id).update(
            recipient_email=f"erased-{mail_id}@anonymised.invalid",
            subject="(anonymisiert)",
            text_body="",
            html_body="",
            attachments=[],
            last_error="",
            contact=contact,
        )
        mail_count += 1

    # The person's login goes with it (and one with the same address at the company).
    same_person = models.Q(contact=contact)
    if email:
        same_person |= models.Q(email__iexact=email, company_id=contact.company_id)
    logins = list(User.objects.filter(same_person))
    for user in logins:
        user_close(user=user, actor=actor if getattr(actor, "pk", None) else None)

    # The update() skips history; the old history rows are anonymised below.
    Contact.objects.filter(pk=contact.pk).update(
        **placeholder,
        receives_invitations=False,
        opted_out_at=contact.opted_out_at or timezone.now(),
        updated_at=timezone.now(),
    )
    Contact.history.model.objects.filter(id=contact.pk).update(**dict(placeholder.items()))
    Consent.objects.filter(contact=contact).update(confirmed_ip=None)
    scrubbed = _scrub_free_text(needles, replacement) if needles else 0
    # Recorded after the scrub, under the placeholder name: the event itself names nobody.
    return audit.record(
        actor=actor,
        action=action,
        obj=contact,
        object_repr=replacement,
        reason=reason,
        after={"mails": mail_count, "free_text_rows": scrubbed, "logins": len(logins)},
    )


@transaction.atomic
def contact_export_record(*, contact: Contact, actor) -> AuditEvent:
    """An export of a person's data is itself logged: who looked, and when."""
    return audit.record(actor=actor, action=PrivacyAction.EXPORTED, obj=contact)
