"""Writes of the competence directory: one transaction each, keyword-only, audited."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from members.models import Company

from . import mails, permissions, selectors
from .audit import AtlasAction
from .choices import Kind, label
from .models import Enquiry, Profile, ProfileEntry

PROFILE_FIELDS = ("summary", "products", "capacity", "capacity_note", "contact", "published")


def enquiries_per_day() -> int:
    """Requests one company may send in 24 hours, to all companies together."""
    return getattr(settings, "ATLAS_ENQUIRIES_PER_DAY", 10)


def enquiry_pause() -> timedelta:
    """How long a company waits before asking the same company again."""
    return timedelta(hours=getattr(settings, "ATLAS_ENQUIRY_PAUSE_HOURS", 24))


class AtlasError(ValidationError):
    """A refusal; the message is for the person who tried."""


def _entry_labels(entries: dict[str, list[str]]) -> dict[str, list[str]]:
    """The chosen entries as the audit trail shows them: by their names, not codes."""
    return {
        kind: sorted(label(kind, code) for code in set(codes)) for kind, codes in entries.items()
    }


@transaction.atomic
def profile_save(
    *, actor, company: Company, values: dict, entries: dict[str, list[str]]
) -> Profile:
    """Creates or changes the company's profile. `values` holds PROFILE_FIELDS, `entries`
    the chosen codes per kind (lists of Kind values). Publishing needs a contact with an
    address of the company."""
    profile, _created = Profile.objects.select_for_update().get_or_create(company=company)
    before = {
        **audit.values(profile, PROFILE_FIELDS),
        **_entry_labels({kind: profile.codes(kind) for kind in Kind.values}),
    }
    contact = values.get("contact")
    if contact is not None and (contact.company_id != company.pk or not contact.email):
        raise AtlasError(_("Please choose a colleague with an e-mail address."))
    if values.get("published") and contact is None:
        raise AtlasError(_("Please name the colleague who receives contact requests."))
    was_published = profile.published
    for name in PROFILE_FIELDS:
        setattr(profile, name, values.get(name, getattr(profile, name)))
    if profile.published and not was_published:
        profile.published_at = timezone.now()
    profile.updated_by = actor
    profile.full_clean(exclude=["company", "contact", "updated_by"])
    profile.save()
    ProfileEntry.objects.filter(profile=profile).delete()
    ProfileEntry.objects.bulk_create(
        ProfileEntry(profile=profile, kind=kind, code=code)
        for kind, codes in entries.items()
        for code in sorted(set(codes))
    )
    after = {**audit.values(profile, PROFILE_FIELDS), **_entry_labels(entries)}
    if profile.published != was_published:
        action = (
            AtlasAction.PROFILE_PUBLISHED if profile.published else AtlasAction.PROFILE_WITHDRAWN
        )
    else:
        action = AtlasAction.PROFILE_SAVED
    changed = {key for key in after if before.get(key) != after.get(key)}
    if changed:
        audit.record(
            actor=actor,
            action=action,
            obj=profile,
            before={key: before.get(key) for key in changed},
            after={key: after[key] for key in changed},
        )
    return profile


@transaction.atomic
def enquiry_send(*, actor, profile: Profile, message: str) -> Enquiry:
    """Mails the profile's contact the enquirer's message through the outbox.

    Limits (counted under a lock on the enquiring company, so parallel requests cannot
    slip past): one request to the same company per pause, and `enquiries_per_day()`
    requests in 24 hours."""
    if not permissions.is_company_user(actor):
        raise PermissionDenied
    message = (message or "").strip()
    if not message:
        raise AtlasError(_("Please write a message."))
    sender_company = Company.objects.select_for_update().get(pk=actor.company_id)
    profile = Profile.objects.select_related("company", "contact").filter(pk=profile.pk).first()
    if profile is None or not permissions.may_enquire(actor, profile) or not profile.contact.email:
        raise PermissionDenied
    now = timezone.now()
    recent = selectors.enquiries_sent_since(sender_company.pk, now - timedelta(hours=24))
    if (
        selectors.enquiries_sent_since(sender_company.pk, now - enquiry_pause())
        .filter(profile=profile)
        .exists()
    ):
        raise AtlasError(
            _(
                "Your company has already asked %(company)s recently. Please wait for the answer "
                "before asking again."
            )
            % {"company": profile.company.legal_name}
        )
    if recent.count() >= enquiries_per_day():
        raise AtlasError(
            _(
                "Your company has sent %(count)d contact requests in the last 24 hours. "
                "Please try again tomorrow."
            )
            % {"count": enquiries_per_day()}
        )
    enquiry = Enquiry.objects.create(
        profile=profile, sender_company=sender_company, sender=actor, message=message
    )
    mails.enquiry_queue(enquiry)
    audit.record(
        actor=actor,
        action=AtlasAction.ENQUIRY_SENT,
        obj=enquiry,
        after={"to": profile.company.legal_name, "from": sender_company.legal_name},
    )
    return enquiry
