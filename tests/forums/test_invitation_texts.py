"""An invitation text edited by the cluster manager reaches every invited contact through the
bulk send, with each one's own name and registration link; other languages keep the default."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from members.models import Contact
from outbox.mailtexts import catalogue, services
from outbox.models import Mail

pytestmark = pytest.mark.django_db

DRAFT = {
    "subject": "Persönlich für {{ contact.first_name }} {{ contact.last_name }}: {{ forum.title }}",
    "text": "Guten Tag {{ contact.full_name }},\n\nAnmelden: {{ registration_url }}",
    "body_markdown": (
        "Guten Tag **{{ contact.full_name }}**,\n\n"
        "am {{ starts_at }} in {{ location }}.\n\n[Jetzt anmelden]({{ registration_url }})"
    ),
}


@pytest.fixture(autouse=True)
def _without_consent_gate(settings):
    settings.INVITATION_AUDIENCE_FILTERS = []  # the gate is tested in tests/privacy


def test_bulk_invitation_carries_the_edited_text_per_recipient(
    client, cluster_manager, forum, make_company, smtp_sink, broker,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    make_company("Alpha GmbH", contacts=2)
    english = Contact.objects.get(email="p1@alpha.example")
    english.language = "en"
    english.save()
    services.mail_text_save(
        mail_type=catalogue.get_or_404("forum_invitation"),
        language="de",
        draft=DRAFT,
        actor=cluster_manager,
    )

    client.force_login(cluster_manager)
    url = reverse("forums:staff_invitations_send", args=[forum.pk]) + "?audience=all"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"expected": 2}).status_code == 302
    broker.run_all()

    by_recipient = {str(m["To"]): m for m in smtp_sink.messages}
    german = by_recipient["p0@alpha.example"]
    person = Contact.objects.get(email="p0@alpha.example")
    subject = f"Persönlich für {person.first_name} {person.last_name}: {forum.title}"
    assert Mail.objects.get(recipient_email=person.email).subject == subject
    assert german["Subject"].strip() == subject  # (the header's folding adds a space)
    html = german.get_body(preferencelist=("html",)).get_content()
    text = german.get_body(preferencelist=("plain",)).get_content()
    assert f"<strong>{person.full_name}</strong>" in html
    assert "/mail/opt-out/" in html and "/mail/opt-out/" in text  # the layout stays
    link = re.search(r'href="(http://[^"]+/forums/link/[^"]+/)"[^>]*>Jetzt anmelden', html)[1]
    assert link in text
    assert by_recipient["p1@alpha.example"]["Subject"].startswith("Invitation:")  # default

    client.logout()
    page = client.get(urlsplit(link).path)  # the personal link works
    assert page.status_code == 200 and forum.title in page.content.decode()
