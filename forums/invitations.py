"""Forum invitations: preview one mail, send to each contact once (forums.audience
says who the audience is).

An invitation is an outbox mail of kind "forum_invitation" about the forum, so the
outbox's unique key (kind, forum, recipient) makes "each contact invited at most once
per forum" hold even when staff press "send" twice or two people send at once. A
follow-up to those who did not answer is its own kind. Sending is a fan-out in the
workers (outbox.services.batch_start): the page returns at once and polls progress.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.identity import identity_for
from members.models import Contact
from outbox.models import Batch, Mail
from outbox.rendering import MailMerge, Rendered, render_mail
from outbox.services import batch_start, mail_build

from . import audience, mails
from .audience import FOLLOWUP, INVITATION  # noqa: F401 - FOLLOWUP is part of the API
from .ics import forum_ics
from .models import Forum
from .tokens import make_registration_token

log = logging.getLogger(__name__)

# The kinds are declared in forums.mails (label, template, sample, placeholders).
TEMPLATES = {mail.kind: mail.template for mail in (mails.INVITATION_MAIL, mails.FOLLOWUP_MAIL)}
KIND_LABELS = {mail.kind: mail.label for mail in (mails.INVITATION_MAIL, mails.FOLLOWUP_MAIL)}


# The contact's values a bulk send fills in per recipient; the rest is rendered once.
PERSONAL = ("full_name", "first_name", "last_name")


def _check_forum(forum: Forum) -> None:
    if forum.state != Forum.State.PUBLISHED:
        raise ValidationError(_("Invitations can only be sent for a published forum."))
    if not forum.is_registration_open():
        raise ValidationError(_("Registration for this forum is closed; nobody can be invited."))


def invitation_send(
    *, forum: Forum, data, kind: str = INVITATION, actor, expected: int | None = None
) -> Batch:
    """Sends the invitation (or follow-up) to the audience the filter `data` selects.

    The audience is computed here, not taken from the browser. If `expected` (the count
    the staff saw) no longer matches, nothing is sent: the audience changed meanwhile.
    """
    if kind not in TEMPLATES:
        raise ValidationError(_("Unknown kind of invitation."))
    with transaction.atomic():
        # One sender at a time per forum: the second sees the first one's rows as "already".
        forum = Forum.objects.select_for_update().get(pk=forum.pk)
        _check_forum(forum)
        contact_filter, queryset = audience.matching_contacts(data)
        if contact_filter.is_bound and not contact_filter.is_valid():
            raise ValidationError(_("Please correct the audience filter."))
        ids = list(
            audience.recipients(forum, queryset, kind).order_by("pk").values_list("pk", flat=True)
        )
        if not ids:
            raise ValidationError(_("Nobody in this audience is left to invite."))
        if expected is not None and expected != len(ids):
            raise ValidationError(
                _(
                    "The audience has changed since the preview (now %(n)d). "
                    "Please check and send again."
                )
                % {"n": len(ids)}
            )
        return batch_start(
            kind=kind,
            related=forum,
            contact_ids=ids,
            builder="forums.invitations.invitation_mails",
            created_by=actor,
        )


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _shared_context(forum: Forum) -> dict:
    return {
        "forum": forum,
        "starts_at": timezone.localtime(forum.starts_at),
        "ends_at": timezone.localtime(forum.ends_at),
        "closes_at": timezone.localtime(forum.effective_closes_at),
        "location": forum.location_text,
        "forum_url": _absolute(reverse("forums:detail", args=[forum.pk])),
    }


def _registration_url(forum: Forum, contact: Contact) -> str:
    token = make_registration_token(contact=contact, forum=forum)
    return _absolute(reverse("forums:token", args=[token]))


def invitation_context(forum: Forum, contact: Contact) -> dict:
    return _shared_context(forum) | {
        "contact": contact,
        "registration_url": _registration_url(forum, contact),
    }


def _ics_attachment(forum: Forum) -> tuple[str, bytes, str]:
    return ("metallforum.ics", forum_ics(forum, "PUBLISH"), "text/calendar; method=PUBLISH")


def invitation_mails(batch: Batch, contacts: list[Contact]) -> list[Mail]:
    """The outbox's builder for one chunk: a mail per contact, each with its own link.

    The forum part is rendered once per language (MailMerge); name and links per contact.
    """
    forum = Forum.objects.select_related("host_company", "cluster").get(pk=batch.object_id)
    identity = identity_for(forum.cluster)
    attachment = _ics_attachment(forum)  # the same calendar entry for everyone
    merge = MailMerge(
        template=TEMPLATES[batch.kind], fields=[*PERSONAL, "registration_url"], identity=identity
    )
    shared = _shared_context(forum) | {
        "contact": {name: merge.field(name) for name in PERSONAL},
        "registration_url": merge.field("registration_url"),
    }
    mails = []
    for contact in contacts:
        if not contact.email:
            continue
        language = contact.language or "de"
        try:
            mail = mail_build(
                kind=batch.kind,
                related=forum,
                recipient_email=contact.email,
                contact=contact,
                language=language,
                rendered=merge.render(
                    context=shared,
                    language=language,
                    recipient_email=contact.email,
                    contact_id=contact.pk,
                    values={name: getattr(contact, name) for name in PERSONAL}
                    | {"registration_url": _registration_url(forum, contact)},
                ),
                attachments=[attachment],
                marketing=True,
                batch=batch,
                identity=identity,
            )
        except ValidationError:
            log.warning("forum %s: contact %s has an unusable address", forum.pk, contact.pk)
            continue
        mails.append(mail)
    return mails


def invitation_preview(forum: Forum, contact: Contact, kind: str = INVITATION) -> Rendered:
    """The mail `contact` would get, rendered as it will be sent (nothing is stored)."""
    return render_mail(
        template=TEMPLATES[kind],
        context=invitation_context(forum, contact),
        language=contact.language or "de",
        recipient_email=contact.email,
        contact_id=contact.pk,
        identity=identity_for(forum.cluster_id),
    )


def preview_contact(forum: Forum, queryset: QuerySet[Contact], kind: str) -> Contact | None:
    return audience.recipients(forum, queryset, kind).first()
