"""Bounces and complaints clean the address list.

Two roads bring the reports, both ending in `bounce_record`:
- plain SMTP: beat reads the bounce mailbox over IMAP (outbox.bounce_mailbox), whose
  delivery status notifications outbox.dsn parses; each mail's return path names it
  (outbox.verp);
- an ESP: django-anymail's tracking webhook (outbox.webhooks) passes on its events.

What follows from a report: a hard bounce or a spam complaint marks every contact with the
address as undeliverable (through the members app's service; the address is then skipped by
every send until it changes); three soft bounces in a row count as a hard one; an
unsubscribe at the ESP is an opt-out. A report is recorded once (Bounce.report_key), so a
report read or posted twice counts once.

"In a row" means: the last three mails sent to the address each bounced softly. A mail
that went out after them without a bounce breaks the row, so no counter needs resetting
on delivery (with plain SMTP nothing reports a delivery anyway).
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from members import services as member_services
from members.models import Contact
from members.undeliverable import contacts_undeliverable_mark

from .models import Bounce, Mail, Suppression
from .services import suppression_add

Kind = Bounce.Kind
SOFT_IN_A_ROW = 3


def soft_bounces_in_a_row(address: str) -> bool:
    """Whether each of the last SOFT_IN_A_ROW mails sent to the address bounced softly."""
    soft = Bounce.objects.filter(mail=OuterRef("pk"), kind=Kind.SOFT)
    last = (
        Mail.objects.filter(recipient_email=address, state=Mail.State.SENT)
        .order_by("-sent_at", "-pk")
        .annotate(bounced=Exists(soft))
        .values_list("bounced", flat=True)[:SOFT_IN_A_ROW]
    )
    bounced = list(last)
    return len(bounced) == SOFT_IN_A_ROW and all(bounced)


def _undeliverable_reason(kind: str, reason: str) -> str:
    reason = reason or _("no details")
    if kind == Kind.COMPLAINT:
        return _("spam complaint (%(reason)s)") % {"reason": reason}
    if kind == Kind.SOFT:
        return _("three soft bounces in a row, the last: %(reason)s") % {"reason": reason}
    return _("hard bounce: %(reason)s") % {"reason": reason}


def _mark_undeliverable(address: str, reason: str, at: datetime | None) -> None:
    contacts_undeliverable_mark(email=address, reason=reason, at=at)
    if not Contact.objects.filter(email__iexact=address).exists():
        # No contact to mark (a mail to a bare address): the suppression list keeps it.
        suppression_add(email=address, reason=Suppression.Reason.BOUNCE)


def _opt_out(address: str) -> None:
    suppression_add(email=address, reason=Suppression.Reason.OPT_OUT)
    for contact in Contact.objects.filter(email__iexact=address, opted_out_at__isnull=True):
        member_services.contact_opt_out(contact=contact)


@transaction.atomic
def bounce_record(
    *,
    email: str,
    kind: str,
    reason: str,
    source: str,
    report_key: str,
    mail_id: int | None = None,
    at: datetime | None = None,
) -> Bounce | None:
    """Records one report and acts on it; None if this report was recorded before.

    A report that names an outbox mail is about the address that mail went to (a forwarded
    mailbox reports its final address, which is not the one in the list).
    """
    mail = Mail.objects.filter(pk=mail_id).first() if mail_id else None
    address = mail.recipient_email if mail is not None else (email or "").strip().lower()
    if not address:
        return None
    values = {
        "email": address,
        "kind": kind,
        "reason": reason[:300],
        "mail": mail,
        "source": source,
    }
    if at is not None:
        values["received_at"] = at
    bounce, created = Bounce.objects.get_or_create(report_key=report_key[:300], defaults=values)
    if not created:
        return None
    if kind == Kind.UNSUBSCRIBE:
        _opt_out(address)
    elif kind in (Kind.HARD, Kind.COMPLAINT) or (
        kind == Kind.SOFT and mail is not None and soft_bounces_in_a_row(address)
    ):
        _mark_undeliverable(address, _undeliverable_reason(kind, reason), at)
    return bounce
