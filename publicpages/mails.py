"""The public pages' mails: the personal registration link for a known address, and the
double opt-in for a new person (privacy's confirmation, with this page's text)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forums.models import Forum
from forums.tokens import make_registration_token
from members.identity import identity_for
from members.models import Contact
from outbox.services import mail_queue

LINK_KIND = "public_registration_link"
LINK_TEMPLATE = "emails/public_registration_link"
CONFIRM_TEMPLATE = "emails/public_confirm"


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


def registration_link_queue(*, contact: Contact, forum: Forum, now) -> None:
    """The known person's own link to register (or see their registration)."""
    token = make_registration_token(contact=contact, forum=forum)
    mail_queue(
        kind=LINK_KIND,
        related=contact,
        recipient_email=contact.email,
        contact=contact,
        language=contact.language or "de",
        template=LINK_TEMPLATE,
        context={
            **forum_context(forum),
            "contact": contact,
            "link": absolute(reverse("forums:token", args=[token])),
        },
        # One mail per forum and hour, whatever the number of clicks.
        key_suffix=f"{forum.pk}:{timezone.localtime(now):%Y%m%d%H}",
        identity=identity_for(forum.cluster_id),  # the forum's cluster invites
    )


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


def register_samples() -> None:
    from outbox.samples import register

    register(
        kind=LINK_KIND,
        label=gettext_lazy("Personal registration link (public page)"),
        template=LINK_TEMPLATE,
        sample=_sample,
    )
    register(
        kind="public_confirm",
        label=gettext_lazy("Address confirmation (public page)"),
        template=CONFIRM_TEMPLATE,
        sample=_sample,
    )
