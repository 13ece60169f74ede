"""'Kontakt anfragen': the enquirer's message reaches the profile's contact by mail through
the outbox; the contact's address is never shown; requests are limited per company."""

import threading

import pytest
from django.db import connections
from django.urls import reverse

from atlas import services
from atlas.models import Enquiry
from core.models import AuditEvent
from outbox.models import Mail
from outbox.services import mail_send

from .conftest import member, publish

MESSAGE = "Wir suchen einen Partner für 500 Aluminiumgehäuse im Jahr."


@pytest.fixture
def alpha_profile(alpha):
    return publish(alpha, processes=["cnc_milling"], certifications=["iso_9001"])


def _url(profile):
    return reverse("atlas:enquire", args=[profile.pk])


@pytest.mark.django_db
def test_enquiry_reaches_the_contact_through_the_outbox(
    client, user_beta, alpha_profile, smtp_sink, django_capture_on_commit_callbacks
):
    client.force_login(user_beta)
    profile_page = client.get(reverse("atlas:profile", args=[alpha_profile.pk])).content.decode()
    assert alpha_profile.contact.email not in profile_page
    assert _url(alpha_profile) in profile_page
    form_page = client.get(_url(alpha_profile)).content.decode()
    assert alpha_profile.contact.email not in form_page
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(_url(alpha_profile), {"message": MESSAGE})
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.sender == user_beta and enquiry.sender_company == user_beta.company
    mail = Mail.objects.get(kind="atlas_enquiry")
    assert mail.recipient_email == alpha_profile.contact.email
    assert AuditEvent.objects.filter(action="atlas_enquiry.sent", actor=user_beta).exists()
    mail_send(mail_id=mail.pk)
    (message,) = smtp_sink.messages
    assert message["To"] == alpha_profile.contact.email
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert MESSAGE in text
    assert user_beta.email in text  # the contact answers the enquirer directly
    assert "Beta Stanztechnik GmbH" in message["Subject"]


@pytest.mark.django_db
def test_no_enquiry_to_own_unpublished_or_unknown_profile(
    client, user_alpha, user_beta, alpha_profile, beta, cluster_manager
):
    client.force_login(user_alpha)
    assert client.get(_url(alpha_profile)).status_code == 404  # own company
    hidden = publish(beta, processes=["stamping"])
    hidden.published = False
    hidden.save()
    assert client.post(_url(hidden), {"message": MESSAGE}).status_code == 404
    assert (
        client.post(reverse("atlas:enquire", args=[99999]), {"message": MESSAGE}).status_code == 404
    )
    client.force_login(cluster_manager)
    assert client.post(_url(alpha_profile), {"message": MESSAGE}).status_code == 403
    assert not Enquiry.objects.exists() and not Mail.objects.exists()


@pytest.mark.django_db
def test_empty_message_says_why_and_writes_nothing(client, user_beta, alpha_profile):
    client.force_login(user_beta)
    response = client.post(_url(alpha_profile), {"message": "   "})
    assert response.status_code == 400
    assert response.context["form"].errors["message"]
    assert not Enquiry.objects.exists() and not Mail.objects.exists()


@pytest.mark.django_db
def test_same_company_waits_before_asking_again(client, user_beta, alpha_profile):
    client.force_login(user_beta)
    client.post(_url(alpha_profile), {"message": MESSAGE})
    response = client.post(_url(alpha_profile), {"message": "Noch einmal"})
    assert response.status_code == 400
    assert "Alpha Präzisionstechnik GmbH" in response.content.decode()
    assert Enquiry.objects.count() == 1 and Mail.objects.count() == 1


@pytest.mark.django_db
def test_daily_limit_per_company(client, user_beta, settings):
    settings.ATLAS_ENQUIRIES_PER_DAY = 2
    profiles = [
        publish(member(f"Ziel{n} GmbH", "74076", "Heilbronn"), processes=["welding"])
        for n in range(3)
    ]
    client.force_login(user_beta)
    for profile in profiles[:2]:
        assert client.post(_url(profile), {"message": MESSAGE}).status_code == 302
    response = client.post(_url(profiles[2]), {"message": MESSAGE})
    assert response.status_code == 400
    assert Enquiry.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_cannot_pass_the_limit(user_beta, alpha_profile):
    """Eight requests to the same company at the same moment, each on its own PostgreSQL
    connection: the lock on the enquiring company lets exactly one through."""
    barrier, outcomes, lock = threading.Barrier(8), [], threading.Lock()

    def send():
        try:
            barrier.wait(timeout=30)
            services.enquiry_send(actor=user_beta, profile=alpha_profile, message=MESSAGE)
            outcome = "sent"
        except services.AtlasError:
            outcome = "refused"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["refused"] * 7 + ["sent"]
    assert Enquiry.objects.count() == 1 and Mail.objects.count() == 1


@pytest.mark.django_db
def test_cluster_manager_sees_request_counts_in_the_engagement_section(
    client, user_beta, alpha_profile, beta, cluster_manager, user_alpha
):
    client.force_login(user_beta)
    client.post(_url(alpha_profile), {"message": MESSAGE})
    client.force_login(cluster_manager)
    alpha_page = client.get(reverse("members:company", args=[alpha_profile.company_id]))
    assert "1 Kontaktanfrage erhalten, 0 gesendet" in alpha_page.content.decode()
    beta_page = client.get(reverse("members:company", args=[beta.pk])).content.decode()
    assert "0 Kontaktanfragen erhalten, 1 gesendet" in beta_page
    client.force_login(user_alpha)  # a company sees no engagement section, not even its own
    own = client.get(reverse("members:portal")).content.decode()
    assert 'id="engagement-enquiries"' not in own


@pytest.mark.django_db
def test_profile_whose_contact_left_stays_listed_without_requests(client, user_beta, alpha_profile):
    alpha_profile.contact.delete()
    client.force_login(user_beta)
    page = client.get(reverse("atlas:profile", args=[alpha_profile.pk])).content.decode()
    assert _url(alpha_profile) not in page
    assert client.post(_url(alpha_profile), {"message": MESSAGE}).status_code == 404
    assert not Enquiry.objects.exists()
