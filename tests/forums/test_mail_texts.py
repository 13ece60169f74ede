"""Forum mails with texts edited by the cluster manager: an invitation reaches every invited
contact through the bulk send, with each one's own name and registration link (other languages
keep the default); a change notice lists the changes; each forum kind offers its own
placeholders."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import Contact
from outbox.mailtexts import catalogue, preview, services
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


def test_change_notice_lists_the_changes_and_each_kind_offers_its_placeholders():
    changed = catalogue.get_or_404("forum_changed")
    draft = {"subject": "Neu: {{ forum.title }}", "text": "", "body_markdown": "{{ changes_text }}"}
    services.mail_text_check(mail_type=changed, language="de", draft=draft)
    rendered = preview.render_draft(changed, "de", draft)
    assert "bisher:" in rendered.text and "Werksführung (Maria Muster)" in rendered.text
    assert "Werksführung (Maria Muster)<br>" in rendered.html  # lines stay lines
    # The reason of a new date belongs to that mail only.
    reschedule = dict(draft, body_markdown="{{ reason }}")
    services.mail_text_check(
        mail_type=catalogue.get_or_404("forum_rescheduled"), language="de", draft=reschedule
    )
    with pytest.raises(ValidationError):
        services.mail_text_check(mail_type=changed, language="de", draft=reschedule)
