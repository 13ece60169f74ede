"""Hands one message to the SMTP server so that a crash leaves as little doubt as possible.

SMTP accepts a message when it reads the final "." of DATA. We record the mail as
sent (committed) after the whole body has gone out but *before* that dot. A worker
killed before the commit leaves the row "sending" and the server discards the
unfinished message, so sending it again is safe; a worker killed between the
commit and the dot (a few microseconds, one socket write) loses that one message.
Plain `sendmail` would instead leave a window from the server's "250" until our
update, in which a crash makes a duplicate.

Backends other than SMTP (the console/file backend of `make run`) send first and
record afterwards.
"""

import contextlib
import re
import secrets
import smtplib
import socket
from collections.abc import Callable
from dataclasses import dataclass
from email.generator import BytesGenerator
from email.policy import Compat32
from functools import lru_cache
from io import BytesIO

from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address

_LEADING_DOT = re.compile(rb"(?m)^\.")


class PermanentError(Exception):
    """The server refused this message for good (5xx): retrying will not help."""


@dataclass(frozen=True)
class Prepared:
    """A message ready for the wire: its envelope and dot-stuffed body (the CPU part of a
    send, which `deliver` lets the caller do for the next mail while the server reads)."""

    message: EmailMessage
    sender: str
    recipients: list[str]
    body: bytes


def prepare(message: EmailMessage) -> Prepared:
    """Raises ValueError for a message that cannot be built (e.g. a bad address)."""
    encoding = message.encoding or "utf-8"
    # The envelope first: a bad address is named as such, before the headers are built.
    sender = _envelope_address(message.from_email, encoding)
    recipients = [_envelope_address(addr, encoding) for addr in message.recipients()]
    body = _LEADING_DOT.sub(b"..", message_bytes(message))
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    return Prepared(message=message, sender=sender, recipients=recipients, body=body)


def deliver(
    connection,
    prepared: Prepared,
    record_sent: Callable[[], Callable | None],
    while_waiting: Callable[[], None] | None = None,
) -> None:
    """Sends a prepared message over an open `connection`; calls `record_sent` once it is
    handed over.

    `record_sent` may return a function that waits for the record to be confirmed; it is
    called after the final dot has been written (see outbox.marker). `while_waiting`, which
    must not raise, runs while the server takes the message in (between the final dot and
    its answer): a bulk send builds the next mail there.
    """
    if not isinstance(connection, SMTPBackend):
        connection.send_messages([prepared.message])
        confirm = record_sent()
        if confirm is not None:
            confirm()
        return
    if connection.connection is None:
        connection.open()
        # The body and the final dot are two writes: without NODELAY, Nagle holds the
        # dot back until the server's delayed ACK (~40 ms a mail).
        connection.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    smtp: smtplib.SMTP = connection.connection

    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(prepared.sender)
    if code != 250:
        _abort(smtp, code, reply)
    refused = 0
    for rcpt in prepared.recipients:
        code, reply = smtp.rcpt(rcpt)
        if code not in (250, 251):
            refused += 1
            last = (code, reply)
    if refused == len(prepared.recipients):
        _abort(smtp, *last)
    smtp.putcmd("data")
    code, reply = smtp.getreply()
    if code != 354:
        _abort(smtp, code, reply)
    smtp.send(prepared.body)
    confirm = record_sent()
    try:
        smtp.send(b".\r\n")
        if while_waiting is not None:
            while_waiting()
        code, reply = smtp.getreply()
    finally:
        if confirm is not None:
            confirm()  # the mark has reached the database before anything else happens
    if code != 250:
        raise _error(code, reply)


class _ShortHeadersAsIs(Compat32):
    """Django's policy (compat32), but a header that is plain ASCII on one short line is
    written as it is. That is what the standard folding gives for such a header, at a
    fraction of the cost: a mail has some twenty headers, nearly all of them short, and
    folding them was a quarter of the cost of building a mail."""

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


_POLICY = _ShortHeadersAsIs(linesep="\r\n")


def message_bytes(message: EmailMessage) -> bytes:
    """The message as sent. Boundaries are random tokens set beforehand: the standard
    library would otherwise compile a fresh regular expression per part to check that its
    boundary does not occur in the text (a large share of the cost of a mail)."""
    mime = message.message()
    for part in mime.walk():
        if part.is_multipart():
            part.set_boundary(f"=_md_{secrets.token_hex(12)}")
    return flatten(mime)


def flatten(mime) -> bytes:
    """As Django's ``as_bytes(linesep="\\r\\n")`` (no ">From " mangling), with quick headers."""
    out = BytesIO()
    BytesGenerator(out, mangle_from_=False, policy=_POLICY).flatten(mime, linesep="\r\n")
    return out.getvalue()


@lru_cache(maxsize=256)
def _envelope_address(address: str, encoding: str) -> str:
    # Parsing an address is a noticeable part of a mail; the sender is the same every time.
    return sanitize_address(address, encoding)


def _error(code: int, reply: bytes) -> Exception:
    text = f"{code} {reply.decode(errors='replace')}"
    return PermanentError(text) if 500 <= code < 600 else smtplib.SMTPResponseException(code, reply)


def _abort(smtp: smtplib.SMTP, code: int, reply: bytes):
    with contextlib.suppress(smtplib.SMTPException):
        smtp.rset()
    raise _error(code, reply)
