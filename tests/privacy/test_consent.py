"""Double opt-in for non-members through the real invitation path: no invitation before the
confirmation, the link works once and expires, withdrawal is one click, opt-out stops the
next invitation."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from forums import audience, invitations
from members.models import Contact, Relationship
from members.services import contact_opt_out
from outbox.models import Mail
from privacy import consent as consent_services
from privacy.models import Consent
from tests.forums.conftest import (
    add_company,
    build_forum,
    cluster,  # noqa: F401 - fixture
)

GATE = ["privacy.consent.invitation_audience"]


@pytest.fixture
def gated(settings):
    settings.INVITATION_AUDIENCE_FILTERS = GATE


def test_double_opt_in_gate_is_on_by_default():
    # Non-members are invited only after consent (UWG §7) unless an installation opts out.
    from django.conf import settings

    assert settings.INVITATION_AUDIENCE_FILTERS == GATE


@pytest.fixture
def setup(cluster):  # noqa: F811
    member = add_company(cluster, "Alpha GmbH", contacts=2)
    partner = add_company(cluster, "Gamma KG", kind=Relationship.Kind.PARTNER, contacts=1)
    prospect = add_company(cluster, "Delta AG", kind=Relationship.Kind.PROSPECT, contacts=1)
    return {
        "member": member,
        "partner": partner,
        "prospect": prospect,
        "forum": build_forum(cluster),
    }


def _invite(forum, actor, broker, capture):
    with capture(execute=True):
        invitations.invitation_send(forum=forum, data={"audience": "all"}, actor=actor)
    broker.run_all()


def _recipients(smtp_sink) -> set[str]:
    return {str(m["To"]) for m in smtp_sink.messages}


def _confirm_link(smtp_sink) -> str:
    message = smtp_sink.messages[-1]
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+/privacy/consent/\S+/", text).group(0)


def test_non_member_is_invited_only_after_confirming(
    gated, setup, cluster_manager, client, smtp_sink, broker, django_capture_on_commit_callbacks
):
    forum = setup["forum"]
    _invite(forum, cluster_manager, broker, django_capture_on_commit_callbacks)
    assert _recipients(smtp_sink) == {"p0@alpha.example", "p1@alpha.example"}
    assert not Mail.objects.filter(recipient_email__in=["p0@gamma.example", "p0@delta.example"])

    partner = Contact.objects.get(email="p0@gamma.example")
    with django_capture_on_commit_callbacks(execute=True):
        consent = consent_services.consent_request(contact=partner, form="Formular Messe 2026")
    broker.run_all()
    assert str(smtp_sink.messages[-1]["To"]) == "p0@gamma.example"
    link = _confirm_link(smtp_sink)
    path = link.split("://", 1)[1].split("/", 1)[1]

    assert client.get("/" + path).status_code == 200  # a link scanner's GET changes nothing
    consent.refresh_from_db()
    assert consent.state == Consent.State.REQUESTED
    response = client.post("/" + path, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.state == Consent.State.CONFIRMED
    assert consent.confirmed_ip == "203.0.113.7" and consent.confirmed_at is not None
    assert consent.form == "Formular Messe 2026"
    assert consent.text_shown == consent_services.consent_text()  # the exact wording shown
    assert client.post("/" + path).status_code == 400  # works once

    # Sent again (e.g. to newly eligible contacts): now the partner is invited, the prospect not.
    _invite(forum, cluster_manager, broker, django_capture_on_commit_callbacks)
    assert "p0@gamma.example" in _recipients(smtp_sink)
    assert "p0@delta.example" not in _recipients(smtp_sink)

    # Withdrawal: one click on the link shown after confirming.
    withdraw = consent_services.withdraw_url(consent).split("://", 1)[1].split("/", 1)[1]
    assert client.post("/" + withdraw).status_code == 200
    consent.refresh_from_db()
    assert consent.state == Consent.State.WITHDRAWN
    assert not consent_services.contact_may_be_invited(partner)


def test_confirmation_link_expires(
    setup, client, smtp_sink, broker, django_capture_on_commit_callbacks
):
    prospect = Contact.objects.get(email="p0@delta.example")
    with django_capture_on_commit_callbacks(execute=True):
        consent = consent_services.consent_request(contact=prospect, form="Website")
    broker.run_all()
    path = "/" + _confirm_link(smtp_sink).split("://", 1)[1].split("/", 1)[1]
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(path)
    assert response.status_code == 400
    consent.refresh_from_db()
    assert consent.state == Consent.State.REQUESTED and consent.confirmed_at is None
    assert client.post("/privacy/consent/forged-token/").status_code == 400


def test_opt_out_stops_the_next_invitation(
    gated, setup, cluster_manager, smtp_sink, broker, django_capture_on_commit_callbacks
):
    member = Contact.objects.get(email="p1@alpha.example")
    contact_opt_out(contact=member)
    _invite(setup["forum"], cluster_manager, broker, django_capture_on_commit_callbacks)
    assert _recipients(smtp_sink) == {"p0@alpha.example"}
    # Left out before the send, and counted as such on the invitation page: no row is written.
    assert not Mail.objects.filter(recipient_email="p1@alpha.example").exists()
    summary = audience.summary(setup["forum"], Contact.objects.all(), audience.INVITATION)
    assert summary.count("opted_out") == 1 and summary.to_send == 0
