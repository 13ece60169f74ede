import email
import email.policy
import imaplib
import socket

import pytest
from aiosmtpd.controller import Controller

from members.models import Contact
from tests.outbox.broker import BrokerQueue
from tests.outbox.imap import dovecot_running


@pytest.fixture
def contact(company_a):
    contact = Contact.objects.get(company=company_a, first_name="Anna")
    contact.email = "Anna.Alpha@alpha.example"
    contact.save()
    return contact


@pytest.fixture
def queue_test_mail(contact):
    """Queues the outbox's own test mail to `contact` (or another address)."""
    from outbox.services import mail_queue

    def queue(**overrides):
        kwargs = {
            "kind": "outbox_test",
            "related": contact,
            "recipient_email": contact.email,
            "contact": contact,
            "template": "emails/outbox_test",
            "context": {"name": contact.full_name, "link": "http://testserver/x?a=1&b=2"},
        }
        kwargs.update(overrides)
        return mail_queue(**kwargs)

    return queue


@pytest.fixture
def broker_queue():
    from metalldialog.celery import app

    queue = BrokerQueue(app)
    queue.take()  # nothing left over from an earlier test
    yield queue
    queue.take()


class EnvelopeSink:
    """Keeps each accepted mail's envelope sender (MAIL FROM) with its parsed message."""

    def __init__(self):
        self.received = []  # (envelope sender, message)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((envelope.mail_from, message))
        return "250 OK"


@pytest.fixture
def envelope_sink(settings):
    """A real SMTP server (aiosmtpd) on loopback that also records the envelope sender."""
    handler = EnvelopeSink()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()


@pytest.fixture
def bounce_address(settings):
    settings.BOUNCE_ADDRESS = "bounces@metalldialog.example"
    return settings.BOUNCE_ADDRESS


class Mailbox:
    """The test's view of the bounce mailbox, over IMAP like any mail client."""

    def __init__(self, server):
        self.server = server

    def _session(self) -> imaplib.IMAP4:
        imap = imaplib.IMAP4(self.server.host, self.server.port)
        imap.login(self.server.user, self.server.password)
        imap.select("INBOX")
        return imap

    def append(self, raw: bytes) -> None:
        imap = self._session()
        try:
            status, _detail = imap.append("INBOX", None, None, raw)
            assert status == "OK"
        finally:
            imap.logout()

    def subjects(self) -> list[str]:
        imap = self._session()
        try:
            _status, found = imap.uid("SEARCH", None, "ALL")
            subjects = []
            for uid in (found[0] or b"").split():
                _status, fetched = imap.uid("FETCH", uid, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
                header = email.message_from_bytes(fetched[0][1])
                subjects.append(str(header["Subject"]))
            return subjects
        finally:
            imap.logout()


@pytest.fixture
def bounce_mailbox(settings):
    """A real IMAP server (dovecot) on loopback, configured as the bounce mailbox."""
    with dovecot_running() as server:
        settings.BOUNCE_IMAP_HOST = server.host
        settings.BOUNCE_IMAP_PORT = server.port
        settings.BOUNCE_IMAP_SSL = False
        settings.BOUNCE_IMAP_USER = server.user
        settings.BOUNCE_IMAP_PASSWORD = server.password
        settings.BOUNCE_IMAP_FOLDER = "INBOX"
        yield Mailbox(server)
