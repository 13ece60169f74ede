import pytest

from members.models import Contact
from tests.outbox.broker import BrokerQueue


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
