"""Each cluster speaks for itself: a forum's mails carry its cluster's sender, reply-to and
imprint (over real SMTP), its calendar entry names the cluster as organizer, its participant
list the cluster; a queued mail keeps the sender it was queued with."""

from email.utils import parseaddr

import pytest
from django.urls import reverse
from icalendar import Calendar

from forums import services
from forums.ics import forum_ics
from forums.pdf import participants_pdf
from members.identity import identity_for
from members.identity_services import identity_save
from members.models import Cluster
from outbox.models import Mail
from outbox.tasks import send_mails
from tests.funding.test_certificate import pdf_text

from .conftest import add_company, build_forum

IDENTITIES = {
    "metall": {
        "sender_name": "MetallDIALOG Clustermanagement",
        "sender_email": "forum@metall.example",
        "reply_to": "team@metall.example",
        "imprint": "Impressum **Metall**: HRB 111",
        "colour": "#0d47a1",
    },
    "kunststoff": {
        "sender_name": "Kunststoffcluster Heilbronn-Franken",
        "sender_email": "forum@kunststoff.example",
        "reply_to": "team@kunststoff.example",
        "imprint": "Impressum **Kunststoff**: HRB 222",
        "colour": "#1b5e20",
    },
}


def _speaks(cluster: Cluster, **fields) -> Cluster:
    for name, value in fields.items():
        setattr(cluster, name, value)
    return identity_save(instance=cluster)


@pytest.fixture
def clusters(cluster):
    plastics = Cluster.objects.create(slug="kunststoff", name="Kunststoffcluster")
    return {
        "metall": _speaks(cluster, **IDENTITIES["metall"]),
        "kunststoff": _speaks(plastics, **IDENTITIES["kunststoff"]),
    }


def _confirmation_sent(committed, forum, contact, smtp_sink):
    with committed():
        services.registration_create(forum=forum, contact=contact)
    mail = Mail.objects.get(kind="forum_registration_confirmed", recipient_email=contact.email)
    send_mails.apply(args=[[mail.pk]])
    [message] = [m for m in smtp_sink.messages if m["To"] == contact.email]
    return mail, message


@pytest.mark.parametrize("slug", ["metall", "kunststoff"])
def test_a_forum_mail_carries_its_clusters_sender_reply_to_and_imprint(
    clusters, committed, smtp_sink, slug
):
    cluster = clusters[slug]
    other = clusters["kunststoff" if slug == "metall" else "metall"]
    contact = add_company(cluster, f"Firma{slug} GmbH", contacts=1).contacts.get()
    forum = build_forum(cluster)
    mail, message = _confirmation_sent(committed, forum, contact, smtp_sink)
    expected = IDENTITIES[slug]
    assert parseaddr(message["From"]) == (expected["sender_name"], expected["sender_email"])
    assert message["Reply-To"] == expected["reply_to"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f"HRB {'111' if slug == 'metall' else '222'}" in text
    assert f"<strong>{slug.capitalize()}</strong>" in html
    assert expected["colour"] in html  # the mail's header in the cluster's colour
    assert other.sender_name not in text and other.sender_email not in text
    attachment = next(iter(message.iter_attachments()))
    event = next(iter(Calendar.from_ical(attachment.get_content()).walk("VEVENT")))
    assert str(event["ORGANIZER"]) == f"mailto:{expected['reply_to']}"
    assert event["ORGANIZER"].params["CN"] == expected["sender_name"]


def test_a_queued_mail_keeps_the_sender_it_was_queued_with(clusters, committed, smtp_sink):
    cluster = clusters["metall"]
    contact = add_company(cluster, "Treu GmbH", contacts=1).contacts.get()
    forum = build_forum(cluster)
    with committed():
        services.registration_create(forum=forum, contact=contact)
    _speaks(cluster, sender_email="neu@metall.example", reply_to="")
    mail = Mail.objects.get(kind="forum_registration_confirmed")
    send_mails.apply(args=[[mail.pk]])
    [message] = smtp_sink.messages
    assert parseaddr(message["From"])[1] == "forum@metall.example"
    assert message["Reply-To"] == "team@metall.example"
    # The next mail of the cluster goes out under its new address.
    assert identity_for(cluster).from_header.endswith("<neu@metall.example>")
    assert identity_for(cluster).reply_address == "neu@metall.example"


def test_the_calendar_file_names_the_clusters_organizer(clusters):
    for slug, cluster in clusters.items():
        event = next(iter(Calendar.from_ical(forum_ics(build_forum(cluster))).walk("VEVENT")))
        assert str(event["ORGANIZER"]) == f"mailto:{IDENTITIES[slug]['reply_to']}"
        assert event["ORGANIZER"].params["CN"] == IDENTITIES[slug]["sender_name"]


def test_the_feed_of_a_cluster_names_the_cluster_as_organizer(client, clusters):
    build_forum(clusters["kunststoff"])
    response = client.get(reverse("api:public-feed", args=["kunststoff"]))
    assert response.status_code == 200
    organizers = {
        str(event["ORGANIZER"]) for event in Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert organizers == {"mailto:team@kunststoff.example"}


@pytest.mark.parametrize("slug", ["metall", "kunststoff"])
def test_the_participant_list_shows_the_clusters_name_and_sender(clusters, slug):
    cluster = clusters[slug]
    forum = build_forum(cluster)
    text = pdf_text(participants_pdf(forum))
    assert cluster.name in text
    assert IDENTITIES[slug]["sender_name"] in text
    other = clusters["kunststoff" if slug == "metall" else "metall"]
    assert other.sender_name not in text
