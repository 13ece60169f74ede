"""An address the outbox found undeliverable, as staff see it: on the company's contacts,
in the contact list's filter, and the staff's way to lift the mark."""

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Contact
from members.undeliverable import contacts_undeliverable_mark

pytestmark = pytest.mark.django_db


@pytest.fixture
def bounced(company_a):
    contact = company_a.contacts.get(first_name="Anna")
    Contact.objects.filter(pk=contact.pk).update(email="anna@alpha.example")
    at = timezone.make_aware(timezone.datetime(2026, 11, 27, 9, 30))
    contacts_undeliverable_mark(
        email="anna@alpha.example", reason="endgültig abgewiesen: 5.1.1 User unknown", at=at
    )
    return Contact.objects.get(pk=contact.pk)


def test_the_company_page_says_since_when_and_why(cm_client, bounced):
    body = cm_client.get(reverse("members:company", args=[bounced.company_id])).content.decode()
    assert "Adresse unzustellbar seit 27.11.2026, 09:30 (endgültig abgewiesen: 5.1.1" in body
    assert reverse("members:contact_undeliverable_lift", args=[bounced.pk]) in body


def test_the_company_user_sees_the_mark_in_the_portal(a_client, bounced):
    body = a_client.get(reverse("members:portal")).content.decode()
    assert "Adresse unzustellbar seit" in body
    assert reverse("members:contact_undeliverable_lift", args=[bounced.pk]) not in body


def test_the_contact_list_filters_undeliverable_addresses(cm_client, bounced, company_b):
    url = reverse("members:contacts")
    marked = cm_client.get(url, {"undeliverable": "true"}).content.decode()
    assert "anna@alpha.example" in marked and "Bruno" not in marked
    assert "Adresse unzustellbar seit" in marked
    working = cm_client.get(url, {"undeliverable": "false"}).content.decode()
    assert "anna@alpha.example" not in working and "Bruno" in working
    assert "Adresse unzustellbar" in cm_client.get(url).content.decode()  # the filter's label


def test_staff_lift_the_mark(cm_client, bounced):
    response = cm_client.post(reverse("members:contact_undeliverable_lift", args=[bounced.pk]))
    assert response.status_code == 302
    bounced.refresh_from_db()
    assert bounced.undeliverable_at is None and bounced.undeliverable_reason == ""


def test_a_company_user_cannot_lift_it(a_client, bounced):
    response = a_client.post(reverse("members:contact_undeliverable_lift", args=[bounced.pk]))
    assert response.status_code == 403
    bounced.refresh_from_db()
    assert bounced.undeliverable_at is not None
