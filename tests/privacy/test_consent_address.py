"""A consent belongs to the address it was confirmed at: a new address ends it and is asked
to confirm anew (double opt-in), whichever way the address changes (page, service, import)."""

import re

import pytest
from django.urls import reverse

from members.models import Company, Contact, Relationship
from members.services import contact_save
from outbox.models import Mail
from privacy import consent as consent_services
from privacy.models import Consent
from tests.forums.conftest import cluster  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(cluster):  # noqa: F811
    company = Company.objects.create(legal_name="Delta Partner GmbH", city="Neckarsulm")
    Relationship.objects.create(
        company=company, cluster=cluster, kind=Relationship.Kind.PARTNER, valid_from="2020-01-01"
    )
    contact = Contact.objects.create(
        company=company, first_name="Dora", last_name="Delta", email="dora@delta.example"
    )
    consent_services.consent_request(contact=contact, form="test")
    token = re.search(r"/privacy/consent/([^/]+)/", Mail.objects.get().text_body).group(1)
    consent_services.consent_confirm(token=token, ip="192.0.2.1")
    assert consent_services.contact_may_be_invited(contact)
    return contact


def test_a_new_address_ends_the_consent_and_asks_again(confirmed):
    confirmed.email = "dora.delta@neu.example"
    contact_save(contact=confirmed)

    old = Consent.objects.get(state=Consent.State.WITHDRAWN)
    assert old.withdrawn_at is not None
    assert not consent_services.contact_may_be_invited(confirmed)
    request = Consent.objects.get(state=Consent.State.REQUESTED)
    assert request.form == "address changed"
    mail = Mail.objects.filter(kind=consent_services.CONFIRMATION_KIND).latest("pk")
    assert mail.recipient_email == "dora.delta@neu.example"

    token = re.search(r"/privacy/consent/([^/]+)/", mail.text_body).group(1)
    consent_services.consent_confirm(token=token, ip="192.0.2.2")
    assert consent_services.contact_may_be_invited(confirmed)


def test_the_same_address_in_other_letters_keeps_the_consent(confirmed):
    confirmed.email = "Dora@Delta.example"
    confirmed.first_name = "Dorothea"
    contact_save(contact=confirmed)
    assert Consent.objects.get().state == Consent.State.CONFIRMED
    assert Mail.objects.count() == 1


def test_an_address_removed_ends_the_consent_without_a_new_request(confirmed):
    confirmed.email = ""
    contact_save(contact=confirmed)
    assert Consent.objects.get().state == Consent.State.WITHDRAWN
    assert Mail.objects.count() == 1


def test_through_the_staff_page(client, cluster_manager, confirmed):
    client.force_login(cluster_manager)
    page = client.get(reverse("members:contact_edit", args=[confirmed.pk]))
    assert page.status_code == 200
    data = {
        key: value
        for key, value in page.context["form"].initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        {"first_name": "Dora", "last_name": "Delta", "email": "dora@anders.example", "topics": []}
    )
    response = client.post(reverse("members:contact_edit", args=[confirmed.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not consent_services.contact_may_be_invited(confirmed)
    assert Mail.objects.filter(recipient_email="dora@anders.example").exists()
