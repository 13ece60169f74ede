"""What a bounce report changes: the rules (hard or soft, in a row), the mark on the contact
and its end when the address changes, the sends that skip a marked address, the return path
of each mail."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forums import audience
from members import services as member_services
from members.identity import identity_for
from members.models import Contact
from members.undeliverable import contact_undeliverable_lift, contacts_undeliverable_mark
from outbox.bounces import bounce_record, soft_bounces_in_a_row
from outbox.dsn import HARD, SOFT, kind_of, reports_in
from outbox.models import Bounce, Mail, Suppression
from outbox.services import mail_send
from outbox.verp import mail_id_of, return_path
from privacy.erasure import contact_erase
from tests.forums.conftest import add_company, build_forum, cluster  # noqa: F401 - fixture

from .reports import dsn

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("action", "status", "kind"),
    [
        ("failed", "5.1.1", HARD),  # no such user
        ("failed", "5.7.1", HARD),  # refused by policy
        ("failed", "5.2.2", SOFT),  # mailbox full: its owner may empty it
        ("failed", "4.4.7", SOFT),  # gave up on a passing problem
        ("Delayed", "4.2.2", SOFT),
        ("failed", "", HARD),
        ("delivered", "2.0.0", None),
        ("relayed", "2.0.0", None),
        ("expanded", "2.0.0", None),
    ],
)
def test_hard_or_soft_by_action_and_status(action, status, kind):
    assert kind_of(action, status) == kind


def test_a_dsn_names_recipient_status_and_reason():
    [report] = reports_in(dsn(to="x@y.example", recipient="Anna@Alpha.example"))
    assert (report.email, report.kind, report.status) == ("anna@alpha.example", HARD, "5.1.1")
    assert "User unknown" in report.reason and report.mail_id is None


def test_return_path_names_the_mail_and_is_signed(settings):
    settings.BOUNCE_ADDRESS = "bounces@metalldialog.example"
    path = return_path(42)
    assert path.startswith("bounces+42-") and path.endswith("@metalldialog.example")
    assert mail_id_of(path) == 42 and mail_id_of(path.upper()) == 42
    assert mail_id_of(path.replace("+42-", "+43-")) is None
    settings.BOUNCE_ADDRESS = ""
    assert return_path(42) == ""


def test_the_envelope_sender_is_the_return_path_and_the_sender_stays_the_agency(
    contact, queue_test_mail, envelope_sink, bounce_address
):
    mail = queue_test_mail()
    mail_send(mail_id=mail.pk)
    [(sender, message)] = envelope_sink.received
    assert sender == return_path(mail.pk)
    # The visible sender stays the mail's own: here the agency's, as stored when queued.
    mail.refresh_from_db()
    assert str(message["From"]) == mail.from_email == identity_for().from_header
    assert message["Message-ID"] == f"<outbox-{mail.pk}@wfg-heilbronn.example>"


def test_no_mail_goes_to_an_undeliverable_address(contact, queue_test_mail, envelope_sink):
    contacts_undeliverable_mark(email="ANNA.ALPHA@alpha.example", reason="hard bounce: 5.1.1")
    mail = queue_test_mail()  # a transactional mail, too

    assert mail_send(mail_id=mail.pk) == Mail.State.SUPPRESSED

    assert envelope_sink.received == []
    assert "unzustellbar" in Mail.objects.get(pk=mail.pk).last_error


def test_a_new_address_clears_the_mark_and_mail_goes_again(contact, queue_test_mail, envelope_sink):
    contacts_undeliverable_mark(email=contact.email, reason="hard bounce: 5.1.1")
    contact = Contact.objects.get(pk=contact.pk)
    contact.email = "Anna.Alpha@ALPHA.example"  # the same address, spelt differently
    member_services.contact_save(contact=contact)
    assert Contact.objects.get(pk=contact.pk).undeliverable_at is not None

    contact.email = "anna@alpha-neu.example"
    member_services.contact_save(contact=contact)

    contact = Contact.objects.get(pk=contact.pk)
    assert contact.undeliverable_at is None and contact.undeliverable_reason == ""
    mail = queue_test_mail(recipient_email=contact.email)
    assert mail_send(mail_id=mail.pk) == Mail.State.SENT


def test_marking_keeps_the_first_date_and_staff_can_lift_it(contact):
    first = timezone.now() - timezone.timedelta(days=3)
    assert contacts_undeliverable_mark(email=contact.email, reason="one", at=first) == 1
    assert contacts_undeliverable_mark(email=contact.email, reason="two") == 0
    contact.refresh_from_db()
    assert (contact.undeliverable_at, contact.undeliverable_reason) == (first, "one")
    contact_undeliverable_lift(contact=contact)
    contact.refresh_from_db()
    assert contact.undeliverable_at is None


def _sent(queue_test_mail, n: int) -> list[Mail]:
    mails = []
    for key in range(n):
        mail = queue_test_mail(key_suffix=str(key))
        Mail.objects.filter(pk=mail.pk).update(
            state=Mail.State.SENT, sent_at=timezone.now() + timezone.timedelta(seconds=key)
        )
        mails.append(mail)
    return mails


def _soft(mail: Mail, n: int = 0):
    return bounce_record(
        email=mail.recipient_email,
        kind=Bounce.Kind.SOFT,
        reason="4.2.2 Mailbox full",
        source="imap",
        report_key=f"soft-{mail.pk}-{n}",
        mail_id=mail.pk,
    )


def test_a_mail_that_arrived_breaks_the_row(contact, queue_test_mail):
    first, delivered, *rest = _sent(queue_test_mail, 4)
    for mail in (first, *rest):
        _soft(mail)
    assert not soft_bounces_in_a_row(contact.email.lower())
    contact.refresh_from_db()
    assert contact.undeliverable_at is None
    # The report about the mail in between only came late: now the last three are a row.
    _soft(delivered)
    contact.refresh_from_db()
    assert contact.undeliverable_at is not None
    assert contact.undeliverable_reason.startswith("drei")


def test_repeated_delay_notices_about_one_mail_are_no_row(contact, queue_test_mail):
    mails = _sent(queue_test_mail, 3)
    for n in range(3):
        _soft(mails[-1], n)
    contact.refresh_from_db()
    assert contact.undeliverable_at is None


def test_a_hard_bounce_of_a_bare_address_suppresses_it():
    bounce_record(
        email="info@nobody.example",
        kind=Bounce.Kind.HARD,
        reason="5.1.1",
        source="imap",
        report_key="bare",
    )
    assert Suppression.objects.get().reason == Suppression.Reason.BOUNCE


def test_invitations_leave_out_undeliverable_contacts(cluster, settings):  # noqa: F811
    settings.INVITATION_AUDIENCE_FILTERS = []
    company = add_company(cluster, "Alpha GmbH", contacts=2)
    bert, senta = company.contacts.order_by("pk")
    Contact.objects.filter(pk=bert.pk).update(email="bert@alpha.example")
    Contact.objects.filter(pk=senta.pk).update(email="senta@alpha.example")
    contacts_undeliverable_mark(email="bert@alpha.example", reason="hard bounce")
    forum = build_forum(cluster, capacity=20)

    summary = audience.summary(forum, Contact.objects.all(), audience.INVITATION)

    assert summary.count("bounced") == 1 and summary.to_send == 1
    assert "undeliverable" not in audience.contact_filter({}).form.fields


def test_the_privacy_export_lists_the_reports(contact, queue_test_mail, cluster_manager):
    mail = queue_test_mail()
    _soft(mail)
    bounce_record(
        email=contact.email,
        kind=Bounce.Kind.HARD,
        reason="5.1.1 User unknown",
        source="imap",
        report_key="hard",
    )
    client = Client()
    client.force_login(cluster_manager)

    page = client.get(reverse("privacy:export_html", args=[contact.pk])).content.decode()

    assert "Rückläufer" in page and "5.1.1 User unknown" in page and "4.2.2 Mailbox full" in page
    assert "endgültiger Rückläufer (Hard Bounce)" in page


def test_erasure_leaves_no_address_in_the_reports(contact, queue_test_mail, cluster_manager):
    mail = queue_test_mail()
    _soft(mail)
    bounce_record(
        email=contact.email,
        kind=Bounce.Kind.HARD,
        reason=f"5.1.1 <{contact.email.lower()}>: User unknown",
        source="imap",
        report_key=f"<dsn-1@mx.alpha.example>|{contact.email.lower()}",
    )

    contact_erase(contact=contact, actor=cluster_manager, reason="Art. 17")

    rows = list(Bounce.objects.values_list("email", "reason", "report_key"))
    assert len(rows) == 2
    assert not any("anna.alpha" in text.lower() for row in rows for text in row)
