"""The opt-out line at the foot of an advertising mail names the mail at hand and says what
one click stops: every invitation and circular (the suppression list is per address)."""

import pytest
from django.http import QueryDict

from circulars import services
from circulars.mails import circular_preview
from forums.invitations import invitation_preview
from members.models import Contact
from outbox.mailtexts import catalogue
from outbox.mailtexts.services import mail_text_save
from tests.factories import ForumFactory

pytestmark = pytest.mark.django_db

CIRCULAR_LINE = {
    "de": "Keine Rundschreiben mehr? Mit einem Klick abmelden – von allen Rundschreiben und "
    "Einladungen",
    "en": "No more circulars? Unsubscribe with one click – from all circulars and invitations",
}
INVITATION_LINE = {
    "de": "Keine Einladungen mehr? Mit einem Klick abmelden – von allen Einladungen und "
    "Rundschreiben",
    "en": "No more invitations? Unsubscribe with one click – from all invitations and circulars",
}


def _parts(message) -> list[str]:
    return [message.get_body((kind,)).get_content() for kind in ("plain", "html")]


def _one_line(text: str) -> str:
    return " ".join(text.split())  # the text part may wrap a long line


def test_a_circular_says_circulars_in_both_parts_and_languages(
    circular, network, cluster_manager, smtp_sink, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.circular_send(
            circular=circular,
            data=QueryDict(f"sector={network['tools'].pk}"),
            actor=cluster_manager,
            expected=3,
        )
    broker.run_all()
    received = {m["To"]: m for m in smtp_sink.messages}
    for address, language in (("p0@alpha.example", "de"), ("p2@alpha.example", "en")):
        for part in _parts(received[address]):
            assert CIRCULAR_LINE[language] in _one_line(part), (address, part[-600:])
            assert INVITATION_LINE[language] not in _one_line(part)
            assert "/mail/opt-out/" in part


def test_an_edited_circular_text_keeps_the_circular_line(circular, network, cluster_manager):
    mail_text_save(
        mail_type=catalogue.get_or_404("circular"), language="de", actor=cluster_manager,
        draft={"subject": "{{ subject }}", "text": "", "body_markdown": "{{ body }}"},
        cluster=circular.cluster,
    )  # fmt: skip
    rendered = circular_preview(circular, language="de", test=True)
    for part in (rendered.text, rendered.html):
        assert CIRCULAR_LINE["de"] in _one_line(part)


def test_an_invitation_keeps_its_own_line(circular, network):
    forum = ForumFactory(cluster=circular.cluster)
    for email, language in (("p0@beta.example", "de"), ("p2@alpha.example", "en")):
        rendered = invitation_preview(forum, Contact.objects.get(email=email))
        for part in (rendered.text, rendered.html):
            assert INVITATION_LINE[language] in _one_line(part)
            assert "Rundschreiben mehr" not in part and "No more circulars" not in part
