"""Double opt-in for forum invitations to contacts of non-member companies (UWG §7).

Contacts of member companies are invited as part of the membership (GDPR Art. 6(1)(b)),
with the outbox's one-click opt-out. Everybody else needs a confirmed consent: a
confirmation mail with a link that works once and expires; the consent keeps time,
IP address, the form and the exact text shown. Withdrawal is one click.
"""

import hashlib
import secrets
from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.identity import identity_for
from members.models import Contact, Relationship
from outbox.rendering import template_base

from . import mails
from .models import Consent

CONFIRMATION_KIND = mails.CONFIRMATION.kind
WITHDRAW_SALT = "privacy.consent.withdraw"
# What a consent is for: invitations (advertising, UWG §7), or only proving that a person
# reads the address they gave for one registration (the public forum pages' double opt-in).
INVITATIONS = "forum_invitations"
ADDRESS_CHECK = "address_check"


def link_validity() -> timedelta:
    return timedelta(days=getattr(settings, "PRIVACY_CONSENT_LINK_DAYS", 7))


def consent_text() -> str:
    """The exact wording the person confirms (stored with each consent)."""
    return _(
        "Yes, I would like to receive invitations to the Metall-Forum events and workshops "
        "of %(sender)s by e-mail. I can withdraw this consent at any time with one click."
    ) % {"sender": identity_for().name}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _member_q() -> Q:
    today = timezone.localdate()
    current_member = Relationship.objects.filter(
        company_id=OuterRef("company_id"), kind=Relationship.Kind.MEMBER, valid_from__lte=today
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    return Q(Exists(current_member))


def _consent_q() -> Q:
    confirmed = Consent.objects.filter(
        contact_id=OuterRef("pk"), state=Consent.State.CONFIRMED, purpose=INVITATIONS
    )
    return Q(Exists(confirmed))


def invitation_audience(queryset: QuerySet[Contact]) -> QuerySet[Contact]:
    """Keeps the contacts who may be invited: member companies' staff or confirmed consent."""
    return queryset.filter(_member_q() | _consent_q())


# How the invitation page names the contacts this check leaves out.
invitation_audience.exclusion_key = "no_consent"
invitation_audience.exclusion_label = gettext_lazy(
    "Not a member and no confirmed consent (double opt-in)"
)
# The tables it reads besides the contacts: the invitation page's cached counts depend on them.
invitation_audience.depends_on = (Relationship, Consent)


def contact_may_be_invited(contact: Contact) -> bool:
    return invitation_audience(Contact.objects.filter(pk=contact.pk)).exists()


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def withdraw_url(consent: Consent) -> str:
    token = signing.dumps({"c": consent.pk}, salt=WITHDRAW_SALT)
    return site_url(reverse("privacy:consent_withdraw", args=[token]))


@transaction.atomic
def consent_request(
    *,
    contact: Contact,
    form: str,
    now=None,
    purpose: str = INVITATIONS,
    text_shown: str | None = None,
    confirm_url_name: str = "privacy:consent_confirm",
    template: str | None = None,
    context: dict | None = None,
) -> Consent:
    """Stores a pending consent with the text shown and mails the confirmation link.

    Another app may ask for its own purpose (with its text, its confirmation page and its
    mail, which gets `confirm_url`); only INVITATIONS lets a non-member be invited.
    """
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if not contact.email:
        raise ValidationError(_("The contact has no e-mail address."))
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    consent = Consent.objects.create(
        contact=contact,
        purpose=purpose,
        form=form[:120],
        text_shown=text_shown or consent_text(),
        token_hash=_hash(token),
        requested_at=now,
        expires_at=now + link_validity(),
    )
    mail = mails.CONFIRMATION
    if template:  # another app's wording of the same mail
        mail = replace(mail, template=template_base(template))
    mail.queue_one(
        consent,
        confirm_url=site_url(reverse(confirm_url_name, args=[token])),
        page=context,
    )
    return consent


@transaction.atomic
def consent_confirm(*, token: str, ip: str | None, now=None) -> Consent:
    """Confirms once; a used, withdrawn, expired or unknown link is refused with a message."""
    now = now or timezone.now()
    consent = Consent.objects.select_for_update().filter(token_hash=_hash(token or "")).first()
    if consent is None:
        raise ValidationError(_("This confirmation link is not valid."))
    if consent.state != Consent.State.REQUESTED:
        raise ValidationError(_("This confirmation link has been used already."))
    if consent.expires_at <= now:
        raise ValidationError(_("This confirmation link has expired. Please ask for a new one."))
    consent.state = Consent.State.CONFIRMED
    consent.confirmed_at = now
    consent.confirmed_ip = ip or None
    consent.save(update_fields=["state", "confirmed_at", "confirmed_ip"])
    return consent


def consent_from_withdraw_token(token: str) -> Consent | None:
    try:
        data = signing.loads(token, salt=WITHDRAW_SALT)
    except signing.BadSignature:
        return None
    return Consent.objects.filter(pk=data.get("c")).select_related("contact").first()


@transaction.atomic
def consent_withdraw(*, consent: Consent, now=None) -> Consent:
    """One click: every consent of the contact ends at once; a second click changes nothing."""
    now = now or timezone.now()
    Consent.objects.filter(
        contact_id=consent.contact_id,
        state__in=[Consent.State.CONFIRMED, Consent.State.REQUESTED],
    ).update(state=Consent.State.WITHDRAWN, withdrawn_at=now)
    consent.refresh_from_db()
    return consent


ACTIVE_STATES = (Consent.State.REQUESTED, Consent.State.CONFIRMED)


def consent_for_old_address(contact: Contact) -> bool:
    """Whether the contact has a consent given (or asked for) at an address other than the
    one it now holds: `contact.email` is the new value, the database still has the old."""
    if contact.pk is None:
        return False
    return (
        Consent.objects.filter(contact_id=contact.pk, state__in=ACTIVE_STATES, purpose=INVITATIONS)
        .exclude(contact__email__iexact=contact.email or "")
        .exists()
    )


@transaction.atomic
def consent_address_changed(*, contact: Contact, now=None) -> Consent | None:
    """A consent belongs to the address it was confirmed at: when the contact's address
    changes, it ends, and (for a non-member, who needs one) the new address is asked to
    confirm. Returns the new request, if any."""
    now = now or timezone.now()
    Consent.objects.filter(contact_id=contact.pk, state__in=ACTIVE_STATES).update(
        state=Consent.State.WITHDRAWN, withdrawn_at=now
    )
    is_member = Contact.objects.filter(pk=contact.pk).filter(_member_q()).exists()
    if not contact.email or is_member:
        return None
    return consent_request(contact=contact, form="address changed", now=now)
