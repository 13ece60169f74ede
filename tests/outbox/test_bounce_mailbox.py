"""The bounce mailbox, end to end against real servers on loopback: mails go out over SMTP
(aiosmtpd) with a return path per mail, the receiving side's reports land in a real IMAP
mailbox (dovecot), and beat's task reads them, marks the contact and deletes what it read,
so that nothing counts twice."""

import pytest
from django.utils import timezone

from members.models import Contact
from outbox.models import Bounce, Mail
from outbox.services import mail_queue, mail_send
from outbox.tasks import read_bounces
from outbox.verp import mail_id_of, return_path

from .reports import HARD, SOFT, auto_reply, complaint, dsn

pytestmark = pytest.mark.django_db


def _send(queue_test_mail, envelope_sink, key: str) -> tuple[Mail, str]:
    """Sends one mail for real; returns it with the envelope sender the server saw."""
    mail = queue_test_mail(key_suffix=key)
    assert mail_send(mail_id=mail.pk) == Mail.State.SENT
    sender, _message = envelope_sink.received[-1]
    return mail, sender


def test_hard_bounce_marks_the_contact_and_leaves_the_mailbox(
    contact, queue_test_mail, envelope_sink, bounce_address, bounce_mailbox
):
    mail, sender = _send(queue_test_mail, envelope_sink, "1")
    assert sender.startswith("bounces+") and mail_id_of(sender) == mail.pk
    bounce_mailbox.append(dsn(to=sender, recipient="anna.alpha@alpha.example", kind=HARD))
    bounce_mailbox.append(auto_reply(to=sender))

    counts = read_bounces.apply().get()

    assert counts == {"recorded": 1, "repeated": 0, "deleted": 1, "left": 1}
    contact.refresh_from_db()
    assert contact.undeliverable_at is not None
    assert "5.1.1" in contact.undeliverable_reason
    assert "User unknown" in contact.undeliverable_reason
    bounce = Bounce.objects.get()
    assert (bounce.kind, bounce.mail, bounce.source) == (Bounce.Kind.HARD, mail, "imap")
    # The report is gone; the auto-reply stays for a person, and later runs pass it over.
    assert bounce_mailbox.subjects() == ["Abwesenheitsnotiz"]
    assert read_bounces.apply().get() == {"recorded": 0, "repeated": 0, "deleted": 0, "left": 0}
    assert Bounce.objects.count() == 1


def test_a_report_read_twice_counts_once(
    contact, queue_test_mail, envelope_sink, bounce_address, bounce_mailbox
):
    """A run that died after recording and before deleting leaves the report behind."""
    _mail, sender = _send(queue_test_mail, envelope_sink, "1")
    report = dsn(to=sender, recipient=contact.email, kind=SOFT, message_id="same-report")
    bounce_mailbox.append(report)
    bounce_mailbox.append(report)

    counts = read_bounces.apply().get()

    assert counts == {"recorded": 1, "repeated": 1, "deleted": 2, "left": 0}
    assert Bounce.objects.count() == 1
    assert bounce_mailbox.subjects() == []


def test_three_soft_bounces_in_a_row_count_as_hard(
    contact, queue_test_mail, envelope_sink, bounce_address, bounce_mailbox
):
    sent = [_send(queue_test_mail, envelope_sink, str(n)) for n in range(3)]
    for _mail, sender in sent[:2]:
        bounce_mailbox.append(dsn(to=sender, recipient=contact.email, kind=SOFT))
    read_bounces.apply()
    contact.refresh_from_db()
    assert contact.undeliverable_at is None  # two in a row are not yet three

    bounce_mailbox.append(dsn(to=sent[2][1], recipient=contact.email, kind=SOFT))
    read_bounces.apply()

    contact.refresh_from_db()
    assert contact.undeliverable_at is not None
    assert "4.2.2" in contact.undeliverable_reason
    assert Bounce.objects.filter(kind=Bounce.Kind.SOFT).count() == 3


def test_a_complaint_names_the_mail_by_its_message_id(
    contact, queue_test_mail, envelope_sink, bounce_mailbox
):
    """No return path per mail here (BOUNCE_ADDRESS unset): the quoted Message-ID tells."""
    mail, sender = _send(queue_test_mail, envelope_sink, "1")
    _sender, message = envelope_sink.received[-1]
    assert "+" not in sender
    bounce_mailbox.append(
        complaint(
            to="fbl@wfg-heilbronn.example",
            recipient=contact.email,
            original_message_id=message["Message-ID"],
        )
    )

    assert read_bounces.apply().get()["recorded"] == 1

    contact.refresh_from_db()
    assert contact.undeliverable_at is not None
    assert Bounce.objects.get().mail == mail
    assert Bounce.objects.get().kind == Bounce.Kind.COMPLAINT


def test_a_forged_return_path_names_no_mail(
    contact, queue_test_mail, envelope_sink, bounce_address, bounce_mailbox
):
    mail, sender = _send(queue_test_mail, envelope_sink, "1")
    forged = sender.replace(sender.split("-")[-1].split("@")[0], "0" * 12)
    bounce_mailbox.append(dsn(to=forged, recipient="someone@else.example", kind=HARD))

    read_bounces.apply()

    bounce = Bounce.objects.get()
    assert bounce.mail is None and bounce.email == "someone@else.example"
    contact.refresh_from_db()
    assert contact.undeliverable_at is None


def test_without_a_bounce_mailbox_the_task_does_nothing(settings):
    settings.BOUNCE_IMAP_HOST = ""
    assert read_bounces.apply().get() == {"recorded": 0, "repeated": 0, "deleted": 0, "left": 0}


QUERIES_PER_REPORT = 11  # the mail, the report once, the rule, the mark and its history


@pytest.mark.parametrize("reports", [2, 4])
def test_each_report_costs_the_same_queries(
    reports, company_a, bounce_address, bounce_mailbox, django_assert_num_queries
):
    """No fixed cost that hides a query per row: reading n reports is n times one report
    (half of them soft, half hard, each for its own contact)."""
    for n in range(reports):
        person = Contact.objects.create(
            company=company_a, first_name=f"P{n}", last_name="Alpha", email=f"p{n}@alpha.example"
        )
        mail = mail_queue(
            kind="outbox_test",
            related=person,
            recipient_email=person.email,
            contact=person,
            template="emails/outbox_test",
            context={"name": person.full_name, "link": "http://testserver/"},
        )
        Mail.objects.filter(pk=mail.pk).update(state=Mail.State.SENT, sent_at=timezone.now())
        kind = HARD if n % 2 else SOFT
        bounce_mailbox.append(dsn(to=return_path(mail.pk), recipient=person.email, kind=kind))

    with django_assert_num_queries(QUERIES_PER_REPORT * reports):
        counts = read_bounces.apply().get()

    assert counts["recorded"] == counts["deleted"] == reports
    assert Contact.objects.filter(undeliverable_at__isnull=False).count() == reports // 2
