"""A Mail row as a Django e-mail message, cheap enough to build ten thousand times in a row.

The message is an ordinary `EmailMultiAlternatives`, so every mail backend (SMTP, django-anymail's
ESP backends, the console and file backends) sends it unchanged. Two costs of the standard
library are avoided where the bytes are made (`message().as_bytes()`, which Django's SMTP
backend calls): boundaries are random tokens set beforehand (the library would otherwise compile
a regular expression per part to check that its boundary does not occur in the text), and short
ASCII headers are written as they are instead of being folded.
"""

import secrets
from email.mime.base import MIMEBase
from email.policy import Compat32

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from .attachments import attachment_content, attachment_key
from .models import Mail
from .rendering import opt_out_url
from .verp import return_path


class _ShortHeadersAsIs(Compat32):
    """Django's policy (compat32), but a header that is plain ASCII on one short line is
    written as it is: what folding gives for such a header, at a fraction of the cost (a mail
    has some twenty headers, nearly all of them short)."""

    def fold_binary(self, name, value):
        if (
            isinstance(value, str)
            and value.isascii()
            and "\r" not in value
            and "\n" not in value
            and len(name) + 2 + len(value) <= (self.max_line_length or 78)
        ):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


QUICK_HEADERS = _ShortHeadersAsIs()


class OutboxMessage(EmailMultiAlternatives):
    """An `EmailMultiAlternatives` whose MIME form writes its bytes quickly (same bytes)."""

    def message(self):
        mime = super().message()
        for part in mime.walk():
            if part.is_multipart():
                part.set_boundary(f"=_md_{secrets.token_hex(12)}")
        mime.policy = QUICK_HEADERS  # the generator takes the message's policy for every part
        return mime


def attachment_part(filename: str, content: bytes, mimetype: str) -> MIMEBase:
    """The MIME part Django would build for this attachment, to share between mails."""
    scratch = EmailMultiAlternatives()
    scratch.attach(filename, content, mimetype)
    return scratch._create_attachment(*scratch.attachments[0])


def mail_message(mail: Mail, parts: dict | None = None) -> OutboxMessage:
    """The mail as a Django message.

    `parts` keeps attachment parts across the mails of one run: a bulk send attaches the same
    calendar entry to thousands of mails, and building its MIME part is a good share of the
    cost of a mail.
    """
    parts = {} if parts is None else parts
    # Rows queued before senders were stored per mail have none: the default then.
    from_email = mail.from_email or settings.DEFAULT_FROM_EMAIL
    domain = from_email.rsplit("@", 1)[-1].strip(">").strip() or "localhost"
    headers = {
        # Stable across retries, so a receiving system can tell a repeat.
        "Message-ID": f"<outbox-{mail.pk}@{domain}>",
        "Reply-To": mail.reply_to or settings.SENDER_CONTACT_EMAIL,
    }
    if mail.marketing:
        url = opt_out_url(email=mail.recipient_email, contact_id=mail.contact_id)
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # With a bounce mailbox, the envelope sender (what Django's SMTP backend takes from
    # from_email) names this mail; the visible sender stays the mail's own (outbox.verp).
    envelope_sender = return_path(mail.pk)
    if envelope_sender:
        headers["From"] = from_email
    message = OutboxMessage(
        subject=mail.subject,
        body=mail.text_body,
        from_email=envelope_sender or from_email,
        to=[mail.recipient_email],
        headers=headers,
    )
    # django-anymail's ESP backends pass this on; the ESP's webhook events carry it back.
    message.metadata = {"outbox_mail": str(mail.pk)}
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    for stored in mail.attachments:
        key = attachment_key(stored)
        if key not in parts:
            parts[key] = attachment_part(
                stored["filename"], attachment_content(stored), stored["mimetype"]
            )
        message.attach(parts[key])
    return message
