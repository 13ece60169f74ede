"""The quick header writer gives exactly the bytes of Django's own `as_bytes`."""

import pytest
from django.core.mail import EmailMultiAlternatives

from outbox import delivery
from outbox.services import _attachment_part

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
        message.attach(_attachment_part(*calendar))
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
    assert delivery.flatten(mime) == mime.as_bytes(linesep="\r\n")


def test_a_shared_attachment_part_gives_the_same_mail():
    def flat(shared):
        mime = _message(SUBJECTS[1], RECIPIENTS[1], shared_part=shared).message()
        for number, part in enumerate(p for p in mime.walk() if p.is_multipart()):
            part.set_boundary(f"=_fixed_{number}")
        return mime.as_bytes(linesep="\r\n")

    assert flat(True) == flat(False)
