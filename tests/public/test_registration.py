"""Registration without a login: known and unknown addresses, the double opt-in, the
approval, bots and bad input."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from core.models import AuditEvent
from forums import services as forum_services
from forums.models import Registration
from members.models import Company, Contact, Relationship
from outbox.models import Mail
from outbox.tasks import send_mails
from privacy import consent as consent_services
from privacy.models import Consent
from publicpages.models import PublicRequest
from tests.forums.conftest import build_forum

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "first_name": "Nora",
    "last_name": "Neu",
    "company": "Neu Metallbau GmbH",
    "email": "nora@neu-metallbau.example",
    "privacy": "on",
}


def _register_url(forum) -> str:
    return reverse("public:register", args=[forum.cluster.slug, forum.pk])


def _link(mail: Mail, path: str) -> str:
    return urlsplit(re.search(rf"https?://\S+{path}\S+", mail.text_body).group(0)).path


def _rows() -> dict:
    return {
        "contacts": Contact.objects.count(),
        "companies": Company.objects.count(),
        "consents": Consent.objects.count(),
        "requests": PublicRequest.objects.count(),
        "registrations": Registration.objects.count(),
        "mails": Mail.objects.count(),
    }


def test_a_new_person_confirms_the_address_and_waits_for_approval(
    cluster, open_forum, cluster_manager, committed, smtp_sink
):
    client = Client()
    response = client.post(_register_url(open_forum), NEW_PERSON)
    assert response.status_code == 302
    assert response["Location"] == reverse("public:sent", args=[cluster.slug, open_forum.pk])
    contact = Contact.objects.get(email=NEW_PERSON["email"])
    assert contact.company.legal_name == "Neu Metallbau GmbH"
    assert contact.receives_invitations is False  # the box was not ticked
    relationship = contact.company.relationships.get()
    assert relationship.kind == Relationship.Kind.PROSPECT and "unbestätigt" in relationship.note
    consent = Consent.objects.get(contact=contact)
    assert consent.purpose == consent_services.ADDRESS_CHECK
    assert open_forum.title in consent.text_shown
    assert not Registration.objects.exists()  # not before the address is confirmed
    assert AuditEvent.objects.filter(action="public_request.created").exists()

    mail = Mail.objects.get(kind=consent_services.CONFIRMATION_KIND)
    assert mail.recipient_email == NEW_PERSON["email"]
    confirm_url = _link(mail, "/events/confirm/")
    # Opening the link (as a mail scanner does) changes nothing; the button confirms.
    assert client.get(confirm_url).status_code == 200
    assert not Registration.objects.exists()
    with committed():
        page = client.post(confirm_url)
    assert page.status_code == 200
    assert "Freigabe" in page.content.decode()
    registration = Registration.objects.get()
    assert registration.state == Registration.State.PENDING
    assert registration.source == Registration.Source.PUBLIC
    consent.refresh_from_db()
    assert consent.state == Consent.State.CONFIRMED and consent.confirmed_ip == "127.0.0.1"
    # Confirming the address is no consent to invitations.
    assert not consent_services.contact_may_be_invited(contact)
    assert Mail.objects.filter(kind="forum_registration_pending").exists()
    # A second click on the link is refused.
    assert client.post(confirm_url).status_code == 400

    # The cluster manager approves on the forum's registrations page.
    staff = Client()
    staff.force_login(cluster_manager)
    listing = staff.get(reverse("forums:staff_registrations", args=[open_forum.pk]))
    assert "Nora Neu" in listing.content.decode()
    with committed():
        staff.post(reverse("forums:staff_registration_action", args=[registration.pk, "approve"]))
    registration.refresh_from_db()
    assert registration.state == Registration.State.CONFIRMED
    confirmed = Mail.objects.get(kind="forum_registration_confirmed")
    send_mails.apply(args=[[confirmed.pk]])
    message = smtp_sink.messages[-1]
    assert message["To"] == NEW_PERSON["email"]
    calendar = Calendar.from_ical(next(iter(message.iter_attachments())).get_content())
    assert str(calendar["METHOD"]) == "REQUEST"


def test_the_decline_button_withdraws_the_request(cluster, open_forum, cluster_manager, committed):
    Client().post(_register_url(open_forum), NEW_PERSON)
    mail = Mail.objects.get(kind=consent_services.CONFIRMATION_KIND)
    with committed():
        Client().post(_link(mail, "/events/confirm/"))
    registration = Registration.objects.get()
    staff = Client()
    staff.force_login(cluster_manager)
    with committed():
        staff.post(reverse("forums:staff_registration_action", args=[registration.pk, "decline"]))
    registration.refresh_from_db()
    assert registration.state == Registration.State.CANCELLED
    assert Mail.objects.filter(kind="forum_registration_cancelled").exists()


def test_the_invitations_box_is_a_separate_consent(cluster, open_forum):
    Client().post(_register_url(open_forum), {**NEW_PERSON, "invitations": "on"})
    contact = Contact.objects.get(email=NEW_PERSON["email"])
    consent = Consent.objects.get(contact=contact)
    assert consent.purpose == consent_services.INVITATIONS
    assert consent_services.consent_text() in consent.text_shown
    assert not consent_services.contact_may_be_invited(contact)  # not before confirmation
    Client().post(_link(Mail.objects.get(), "/events/confirm/"))
    assert consent_services.contact_may_be_invited(contact)


def test_the_invitations_box_is_not_ticked_by_default(cluster, open_forum):
    page = Client().get(_register_url(open_forum)).content.decode()
    box = re.search(r'<input[^>]*name="invitations"[^>]*>', page).group(0)
    assert "checked" not in box
    assert 'type="checkbox"' in box


def test_a_known_address_gets_its_personal_link_and_the_same_answer(
    cluster, open_forum, make_company
):
    known = make_company("Alpha GmbH").contacts.first()
    client = Client()
    answer_known = client.post(
        _register_url(open_forum), {**NEW_PERSON, "email": known.email.upper()}
    )
    before = _rows()
    answer_new = Client().post(_register_url(open_forum), NEW_PERSON)
    assert answer_known.status_code == answer_new.status_code == 302
    assert answer_known["Location"] == answer_new["Location"]
    assert Contact.objects.filter(email=NEW_PERSON["email"]).exists()
    assert _rows()["contacts"] == before["contacts"] + 1
    mail = Mail.objects.get(kind="public_registration_link")
    assert mail.recipient_email == known.email
    token_page = Client().get(_link(mail, "/forums/link/"))
    assert token_page.status_code == 200
    assert open_forum.title in token_page.content.decode()
    # Nobody was created for the known address.
    assert Contact.objects.filter(email__iexact=known.email).count() == 1


def test_a_members_forum_explains_who_may_register_and_creates_nobody(
    cluster, make_forum, make_company
):
    forum = make_forum(audience="members")
    page = Client().get(_register_url(forum)).content.decode()
    assert "Mitgliedsunternehmen" in page
    assert "metalldialog@wfg-heilbronn.example" in page
    assert 'name="company"' not in page  # only the address, for one's own link
    before = _rows()
    response = Client().post(_register_url(forum), {"email": NEW_PERSON["email"]})
    assert response.status_code == 302
    assert _rows() == before
    member = make_company("Alpha GmbH").contacts.first()
    Client().post(_register_url(forum), {"email": member.email})
    assert Mail.objects.filter(kind="public_registration_link").count() == 1


def test_the_honeypot_catches_bots(cluster, open_forum):
    before = _rows()
    response = Client().post(_register_url(open_forum), {**NEW_PERSON, "website": "http://spam"})
    assert response.status_code == 302  # the bot learns nothing
    assert _rows() == before


def test_bad_input_gets_a_german_message_and_writes_nothing(cluster, open_forum):
    before = _rows()
    response = Client().post(
        _register_url(open_forum), {**NEW_PERSON, "email": "kein-mail", "privacy": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bitte bestätigen Sie, dass Sie die Datenschutzhinweise gelesen haben." in page
    assert "gültige E-Mail-Adresse" in page
    assert _rows() == before


def test_rate_limit_per_email_and_per_ip(cluster, open_forum, settings):
    settings.PUBLIC_REGISTRATIONS_PER_EMAIL_HOUR = 2
    settings.PUBLIC_REGISTRATIONS_PER_IP_HOUR = 4
    client = Client()
    for _ in range(2):
        assert client.post(_register_url(open_forum), NEW_PERSON).status_code == 302
    before = _rows()
    refused = client.post(_register_url(open_forum), NEW_PERSON)
    assert refused.status_code == 429
    assert "Zu viele Anmeldungen" in refused.content.decode()
    assert _rows() == before
    # Every attempt counts for the IP, refused ones too: its limit (4) is reached here.
    other = {**NEW_PERSON, "email": "otto@other.example"}
    assert client.post(_register_url(open_forum), other).status_code == 302
    assert (
        client.post(_register_url(open_forum), {**other, "email": "x@y.example"}).status_code == 429
    )


def test_a_prospect_company_is_reused_but_never_a_members(cluster, open_forum, make_company):
    member = make_company("Alpha GmbH")
    Client().post(_register_url(open_forum), {**NEW_PERSON, "company": "alpha gmbh"})
    contact = Contact.objects.get(email=NEW_PERSON["email"])
    assert contact.company != member
    second = {**NEW_PERSON, "email": "paul@neu-metallbau.example", "company": "alpha GmbH"}
    Client().post(_register_url(open_forum), second)
    assert Contact.objects.get(email=second["email"]).company == contact.company
    assert contact.company.relationships.count() == 1


def test_the_company_cap_and_the_waiting_list_apply_on_approval(
    cluster, cluster_manager, committed
):
    forum = build_forum(cluster, audience="open", capacity=5, seats_per_company=1)
    for email in ("a@neu.example", "b@neu.example"):
        Client().post(_register_url(forum), {**NEW_PERSON, "email": email})
    for mail in Mail.objects.filter(kind=consent_services.CONFIRMATION_KIND):
        with committed():
            Client().post(_link(mail, "/events/confirm/"))
    first, second = Registration.objects.order_by("pk")
    assert first.company_id == second.company_id
    forum_services.registration_approve(registration=first, actor=cluster_manager)
    forum_services.registration_approve(registration=second, actor=cluster_manager)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == Registration.State.CONFIRMED
    assert second.state == Registration.State.WAITLISTED  # the company's one seat is taken


def test_a_link_for_a_forum_that_closed_meanwhile_confirms_the_address_and_says_why(
    cluster, open_forum, cluster_manager
):
    Client().post(_register_url(open_forum), NEW_PERSON)
    forum_services.forum_cancel(forum=open_forum, actor=cluster_manager)
    page = Client().post(_link(Mail.objects.get(), "/events/confirm/"))
    assert page.status_code == 200
    assert "abgesagt" in page.content.decode()
    assert Consent.objects.get().state == Consent.State.CONFIRMED
    assert not Registration.objects.exists()


def test_the_form_pages_are_never_cached(cluster, open_forum):
    for url in (_register_url(open_forum), reverse("public:confirm", args=["x"])):
        response = Client().get(url)
        assert "no-store" in response["Cache-Control"], url
