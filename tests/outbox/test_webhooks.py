"""An ESP's tracking webhook (Postmark through django-anymail): our own server, driven
through the test client as the ESP posts, with enforced CSRF checks (the ESP has no token),
with and without the webhook secret."""

import base64
import json

import pytest
from django.test import Client

from members.models import Contact
from outbox.messages import mail_message
from outbox.models import Bounce, Suppression

pytestmark = pytest.mark.django_db
URL = "/anymail/postmark/tracking/"
SECRET = "postmark:s3cret-webhook-password"


@pytest.fixture
def webhook_secret(settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": SECRET}
    return SECRET


def _post(payload: dict, secret: str | None = SECRET):
    headers = {}
    if secret is not None:
        headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(secret.encode()).decode()
    return Client(enforce_csrf_checks=True).post(
        URL, data=json.dumps(payload), content_type="application/json", **headers
    )


def _bounce(email: str, kind: str = "HardBounce", mail_id: int | None = None, bounce_id=1):
    """Postmark's bounce webhook, as its documentation shows it."""
    return {
        "RecordType": "Bounce",
        "MessageStream": "outbound",
        "ID": 4323372036854775800 + bounce_id,
        "Type": kind,
        "TypeCode": 1 if kind == "HardBounce" else 4096,
        "Name": "Hard bounce" if kind == "HardBounce" else "Soft bounce",
        "Tag": "forum_invitation",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Metadata": {"outbox_mail": str(mail_id)} if mail_id else {},
        "ServerID": 23,
        "Description": "The server was unable to deliver your message (ex: unknown user).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": email,
        "From": "metalldialog@wfg-heilbronn.example",
        "BouncedAt": "2026-11-29T14:33:54.9070259Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Einladung zum Metall-Forum",
    }


def test_hard_bounce_marks_the_contact(contact, webhook_secret):
    response = _post(_bounce("ANNA.alpha@alpha.example"))

    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.undeliverable_at is not None
    assert "5.1.1" in contact.undeliverable_reason
    assert Bounce.objects.get().source == "postmark"
    # Postmark retries a webhook it thinks failed: the same event counts once.
    assert _post(_bounce("anna.alpha@alpha.example")).status_code == 200
    assert Bounce.objects.count() == 1


@pytest.mark.parametrize("secret", [None, "postmark:wrong", "anyone:guess"])
def test_without_the_secret_nothing_changes(contact, webhook_secret, secret):
    response = _post(_bounce(contact.email), secret=secret)

    assert response.status_code == 400
    contact.refresh_from_db()
    assert contact.undeliverable_at is None
    assert not Bounce.objects.exists()


def test_without_a_configured_secret_the_webhook_takes_nothing(contact, settings):
    """Anymail alone would only warn and accept anyone's events."""
    assert settings.ANYMAIL["WEBHOOK_SECRET"].startswith("unset:")
    assert _post(_bounce(contact.email), secret="unset:guess").status_code == 400
    assert not Bounce.objects.exists()


def test_soft_bounces_alone_do_not_mark(contact, webhook_secret, queue_test_mail):
    mail = queue_test_mail()
    assert mail_message(mail).metadata == {"outbox_mail": str(mail.pk)}  # what Postmark echoes

    assert _post(_bounce(contact.email, "SoftBounce", mail_id=mail.pk)).status_code == 200

    bounce = Bounce.objects.get()
    assert (bounce.kind, bounce.mail) == (Bounce.Kind.SOFT, mail)
    contact.refresh_from_db()
    assert contact.undeliverable_at is None


@pytest.mark.parametrize("esp_type", ["DMARCPolicy", "VirusNotification", "Unconfirmed"])
def test_refusals_that_say_nothing_about_the_address_change_nothing(
    contact, webhook_secret, esp_type
):
    assert _post(_bounce(contact.email, esp_type)).status_code == 200
    contact.refresh_from_db()
    assert contact.undeliverable_at is None
    assert not Bounce.objects.exists()


def test_spam_complaint_marks_the_contact(contact, webhook_secret):
    payload = {
        **_bounce(contact.email, "SpamComplaint"),
        "RecordType": "SpamComplaint",
        "TypeCode": 512,
        "Name": "Spam complaint",
        "Description": "The subscriber explicitly marked this message as spam.",
        "Details": "Test spam complaint details",
    }
    assert _post(payload).status_code == 200

    contact.refresh_from_db()
    assert contact.undeliverable_at is not None
    assert Bounce.objects.get().kind == Bounce.Kind.COMPLAINT


def test_unsubscribe_at_the_provider_is_an_opt_out(contact, webhook_secret):
    payload = {
        "RecordType": "SubscriptionChange",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "ServerID": 23,
        "MessageStream": "outbound",
        "ChangedAt": "2026-11-29T14:40:00Z",
        "Recipient": contact.email,
        "Origin": "Recipient",
        "SuppressSending": True,
        "SuppressionReason": "ManualSuppression",
        "Tag": "forum_invitation",
        "Metadata": {},
    }
    assert _post(payload).status_code == 200

    contact = Contact.objects.get(pk=contact.pk)
    assert contact.opted_out_at is not None and contact.undeliverable_at is None
    assert Suppression.objects.get().reason == Suppression.Reason.OPT_OUT


def test_delivery_events_change_nothing(contact, webhook_secret):
    payload = {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Recipient": contact.email,
        "Tag": "forum_invitation",
        "DeliveredAt": "2026-11-29T14:40:00Z",
        "Details": "Test delivery webhook details",
        "Metadata": {},
    }
    assert _post(payload).status_code == 200
    assert not Bounce.objects.exists()
