"""Writes of the public pages: a registration asked for without a login, its confirmation.

The answer to the visitor is the same whether the address is known or not (no way to find
out who is in the network): a known person gets their personal registration link by mail; a
new person of an open forum becomes a prospect (with a company marked unconfirmed) and gets
the double opt-in mail; the forum's registration is made when the address is confirmed, by
the forums' own service, so it waits for the cluster management's approval.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import audit
from forums import services as forum_services
from forums.models import Forum, Registration
from members import services as member_services
from members.models import Company, Contact, Relationship
from privacy import consent as consent_services

from . import mails
from .audit import PublicAction
from .models import PublicRequest

UNCONFIRMED_NOTE = "unbestätigt: Anmeldung über die öffentliche Forumsseite"
FORM_NAME = "public forum page"


@dataclass(frozen=True)
class Applicant:
    first_name: str
    last_name: str
    company_name: str
    email: str
    invitations: bool = False  # the separate, unticked box


def known_contact(email: str) -> Contact | None:
    return (
        Contact.objects.filter(email__iexact=email.strip())
        .select_related("company")
        .order_by("pk")
        .first()
    )


def _prospect_company(name: str, forum: Forum, today) -> Company:
    """A company of that name the network has no tie to yet, else a new, unconfirmed one.

    Never a member's or partner's company: naming one must not skip the approval."""
    tied = Relationship.objects.filter(
        kind__in=[Relationship.Kind.MEMBER, Relationship.Kind.PARTNER], valid_from__lte=today
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    company = (
        Company.objects.filter(legal_name__iexact=name.strip())
        .exclude(pk__in=tied.values("company_id"))
        .order_by("pk")
        .first()
    )
    if company is None:
        company = member_services.company_save(company=Company(legal_name=name.strip()))
    if not company.relationships.filter(cluster=forum.cluster, valid_to__isnull=True).exists():
        member_services.relationship_start(
            company=company,
            cluster=forum.cluster,
            kind=Relationship.Kind.PROSPECT,
            valid_from=today,
            note=UNCONFIRMED_NOTE,
        )
    return company


def _text_shown(forum: Forum, invitations: bool) -> str:
    text = mails.address_text(forum)
    if invitations:
        text = f"{text} {consent_services.consent_text()}"
    return text


@transaction.atomic(durable=True)
def registration_request(
    *, forum: Forum, applicant: Applicant, now: datetime | None = None
) -> PublicRequest | None:
    """What the public form does. Returns the new request (None when a mail with the
    personal link went out, or nothing was to be done): the page shows the same either way."""
    now = now or timezone.now()
    contact = known_contact(applicant.email)
    if contact is not None:
        mails.registration_link_queue(contact=contact, forum=forum, now=now)
        return None
    if forum.audience != Forum.Audience.OPEN or not forum.is_registration_open(now):
        return None
    today = timezone.localdate(now)
    company = _prospect_company(applicant.company_name, forum, today)
    contact = member_services.contact_save(
        contact=Contact(
            company=company,
            first_name=applicant.first_name.strip(),
            last_name=applicant.last_name.strip(),
            email=applicant.email.strip(),
            language=(get_language() or "de")[:2],
            # Invitations only after a confirmed consent (the unticked box), never by default.
            receives_invitations=applicant.invitations,
        )
    )
    purpose = consent_services.INVITATIONS if applicant.invitations else None
    consent = consent_services.consent_request(
        contact=contact,
        form=FORM_NAME,
        now=now,
        purpose=purpose or consent_services.ADDRESS_CHECK,
        text_shown=_text_shown(forum, applicant.invitations),
        confirm_url_name="public:confirm",
        template=mails.PUBLIC_CONFIRM.template,
        context=mails.forum_context(forum),
    )
    request = PublicRequest.objects.create(
        forum=forum, contact=contact, consent=consent, created_at=now
    )
    audit.record(
        actor=None,
        action=PublicAction.REQUESTED,
        obj=contact,
        after={"forum": forum, "company": company, "invitations": applicant.invitations},
    )
    return request


@dataclass(frozen=True)
class Confirmation:
    request: PublicRequest | None
    registration: Registration | None
    error: str = ""


@transaction.atomic(durable=True)
def request_confirm(*, token: str, ip: str | None, now: datetime | None = None) -> Confirmation:
    """Confirms the address (raises ValidationError for a used or unknown link) and registers
    the person through the forums' service: pending until the cluster management approves.
    A forum that takes no registration any more leaves the address confirmed and says why."""
    consent = consent_services.consent_confirm(token=token, ip=ip, now=now)
    request = (
        PublicRequest.objects.select_for_update()
        .select_related("forum__cluster", "contact__company")
        .filter(consent=consent)
        .first()
    )
    if request is None:
        return Confirmation(request=None, registration=None)
    audit.record(actor=None, action=PublicAction.CONFIRMED, obj=request.contact)
    try:
        registration = forum_services.registration_create(
            forum=request.forum,
            contact=request.contact,
            source=Registration.Source.PUBLIC,
            now=now,
        )
    except ValidationError as error:
        return Confirmation(request=request, registration=None, error=" ".join(error.messages))
    request.registration = registration
    request.save(update_fields=["registration"])
    return Confirmation(request=request, registration=registration)


def registration_refused_text() -> str:
    return _("Too many registrations from here. Please try again in an hour.")
