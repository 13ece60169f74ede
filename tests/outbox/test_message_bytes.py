"""The outbox's quick MIME writing gives exactly the bytes of Django's own `as_bytes`."""

import pytest
from django.core.mail import EmailMultiAlternatives

from outbox.messages import QUICK_HEADERS, OutboxMessage, attachment_part

SUBJECTS = [
    "Einladung",
    "Einladung zum Metall-Forum: Additive Fertigung in der Praxis – mit Werksführung",
    "Invitation to the Metall-Forum on additive manufacturing in practice, with a tour x",
    "x" * 69,  # exactly at the fold limit with "Subject: "
    "x" * 70,  # one above
    "two  spaces and\ttab ",
    "Größe",
]
RECIPIENTS = [
    "anna@alpha.example",
    "Jörg Müller <joerg.mueller@alpha.example>",
    f"{'Very Long Name ' * 6}<long@alpha.example>",
]


def _message(subject: str, to: str, shared_part: bool) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject,
        body="Guten Tag,\n\nFrom here on: ä ö ü ß\n.\n" + "lange Zeile " * 100,
        from_email="MetallDIALOG <metalldialog@wfg-heilbronn.example>",
        to=[to],
        headers={
            "Message-ID": "<outbox-42@wfg-heilbronn.example>",
            "List-Unsubscribe": "<https://metalldialog.example.org/mail/abmelden/" + "a" * 90 + ">",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative("<p>Guten Tag, Jörg</p>", "text/html")
    calendar = ("metallforum.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    if shared_part:
        message.attach(attachment_part(*calendar))
    else:
        message.attach(*calendar)
    message.attach("Präsentation.pdf", b"%PDF-1.4 binary \x00\xff", "application/pdf")
    return message


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("to", RECIPIENTS)
def test_bytes_equal_djangos(subject, to, settings):
    settings.DEFAULT_CHARSET = "utf-8"
    mime = _message(subject, to, shared_part=False).message()
    for number, part in enumerate(part for part in mime.walk() if part.is_multipart()):
        part.set_boundary(f"=_fixed_{number}")
    standard = mime.as_bytes(linesep="\r\n")
    mime.policy = QUICK_HEADERS
    assert mime.as_bytes(linesep="\r\n") == standard


def test_a_shared_attachment_part_gives_the_same_mail():
    def flat(shared):
        mime = _message(SUBJECTS[1], RECIPIENTS[1], shared_part=shared).message()
        for number, part in enumerate(p for p in mime.walk() if p.is_multipart()):
            part.set_boundary(f"=_fixed_{number}")
        return mime.as_bytes(linesep="\r\n")

    assert flat(True) == flat(False)


def test_the_outbox_message_is_djangos_with_fresh_boundaries():
    plain = _message(SUBJECTS[1], RECIPIENTS[1], shared_part=False)
    quick = OutboxMessage(
        subject=plain.subject,
        body=plain.body,
        from_email=plain.from_email,
        to=plain.to,
        headers=plain.extra_headers,
        alternatives=plain.alternatives,
        attachments=plain.attachments,
    )
    first, second = quick.message(), quick.message()
    assert first.get_boundary() != second.get_boundary()
    for mime in (first, plain_mime := plain.message()):
        for number, part in enumerate(p for p in mime.walk() if p.is_multipart()):
            part.set_boundary(f"=_fixed_{number}")
    assert first.policy is QUICK_HEADERS
    # Date and Message-ID are the same header lines in both: only what the writer makes differs.
    del first["Date"], plain_mime["Date"]
    first["Date"] = plain_mime["Date"] = "Sun, 29 Nov 2026 12:00:00 +0000"
    assert first.as_bytes(linesep="\r\n") == plain_mime.as_bytes(linesep="\r\n")
