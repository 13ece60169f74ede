"""The public pages' mails, declared once: the personal registration link for a known address,
and the double opt-in for a new person (privacy's confirmation, with this page's text)."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forums.models import Forum
from forums.tokens import make_registration_token
from members.identity import identity_for
from members.models import Contact
from outbox.catalogue import MailKind, Recipient

LINK_KIND = "public_registration_link"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def forum_url(forum: Forum) -> str:
    return absolute(reverse("public:forum", args=[forum.cluster.slug, forum.pk]))


def forum_context(forum: Forum) -> dict:
    return {
        "forum": forum,
        "starts_at": timezone.localtime(forum.starts_at),
        "ends_at": timezone.localtime(forum.ends_at),
        "location": forum.location_text,
        "forum_url": forum_url(forum),
    }


def address_text(forum: Forum) -> str:
    """What the person confirms with the link: that the address is theirs, for this forum."""
    return _(
        "I registered with this e-mail address for the forum “%(title)s” and "
        "confirm that it is mine."
    ) % {"title": forum.title}


def _sample_forum() -> Forum:
    from members.models import Cluster

    start = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
    return Forum(
        pk=1,
        cluster=Cluster(slug="metalldialog", name="MetallDIALOG"),
        title="Metall-Forum: Energieeffizienz",
        starts_at=start,
        ends_at=start,
        venue_name="Beispiel GmbH",
        venue_city="Heilbronn",
        capacity=40,
    )


def _sample() -> dict:
    forum = _sample_forum()
    contact = Contact(pk=1, first_name="Anna", last_name="Alpha", email="anna@alpha.example")
    return {
        **forum_context(forum),
        "contact": contact,
        "link": absolute("/forums/link/beispiel/"),
        "text_shown": address_text(forum),
        "confirm_url": absolute("/events/confirm/beispiel/"),
        "expires_at": timezone.localtime(),
    }


@dataclass(frozen=True)
class LinkRequest:
    """A known person asking for their registration link to a forum."""

    contact: Contact
    forum: Forum


def _link_context(request: LinkRequest, recipient: Recipient) -> dict:
    token = make_registration_token(contact=request.contact, forum=request.forum)
    return {
        **forum_context(request.forum),
        "contact": request.contact,
        "link": absolute(reverse("forums:token", args=[token])),
    }


REGISTRATION_LINK = MailKind(
    kind=LINK_KIND,
    label=gettext_lazy("Personal registration link (public page)"),
    template="emails/public_registration_link",
    recipients=lambda request: [Recipient.of_contact(request.contact)],
    context=_link_context,
    related=lambda request: request.contact,
    identity=lambda request: identity_for(request.forum.cluster_id),  # the forum's cluster invites
    sample=_sample,
    per_cluster=True,
)
# Queued by privacy.consent_request as privacy's confirmation mail, with this template: the
# kind is the template's place on the staff's pages and in the mail text editor.
PUBLIC_CONFIRM = MailKind(
    kind="public_confirm",
    label=gettext_lazy("Address confirmation (public page)"),
    template="emails/public_confirm",
    sample=_sample,
)
KINDS = (REGISTRATION_LINK, PUBLIC_CONFIRM)


def registration_link_queue(*, contact: Contact, forum: Forum, now) -> None:
    """The known person's own link to register (or see their registration)."""
    # One mail per forum and hour, whatever the number of clicks.
    REGISTRATION_LINK.queue_one(
        LinkRequest(contact, forum), key=f"{forum.pk}:{timezone.localtime(now):%Y%m%d%H}"
    )
