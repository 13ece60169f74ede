"""Demo circular: one the demo cluster manager sent three days ago to a sector of the first
cluster, with one address that bounced, so the circulars list shows its figures and the
contacts list one undeliverable address. The circular and its mails are written directly (it
describes the past, nothing is sent); the bounce goes through the outbox's bounce report,
which marks the contact as a real report would."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.http import QueryDict
from django.utils import timezone

from members.models import Cluster, Sector, User
from outbox.bounces import bounce_record
from outbox.models import Batch, BatchRecipient, Bounce, Mail

from . import audience
from .mails import KIND, circular_mails
from .models import Circular

SUBJECT = "Förderaufrufe 2027: Digitalisierung und Energieeffizienz"
BODY = (
    "Liebe Mitglieder,\n\n"
    "bis **31. März 2027** können kleine und mittlere Unternehmen Zuschüsse beantragen:\n\n"
    "- Digitalisierung der Fertigung\n"
    "- Energieeffizienz von Anlagen\n\n"
    "Wir beraten Sie gern, [schreiben Sie uns](mailto:metalldialog@wfg-heilbronn.example)."
)
BOUNCE_REASON = "smtp;550 5.1.1 The email account that you tried to reach does not exist."


def _audience(circular: Circular):
    """The first sector whose audience has a few contacts, with its query and contacts."""
    for sector in Sector.objects.order_by("number"):
        query = f"sector={sector.pk}"
        _filter, matching = audience.matching_contacts(QueryDict(query))
        contacts = list(audience.recipients(circular, matching).order_by("pk")[:40])
        if len(contacts) >= 3:
            return query, contacts
    return "", []


def seed_circulars(manager_email: str) -> dict:
    if Circular.objects.exists():
        return {"created": False}
    manager = User.objects.filter(email=manager_email).first()
    cluster = Cluster.objects.order_by("pk").first()
    if manager is None or cluster is None:
        return {"created": False}
    sent_at = timezone.now() - timedelta(days=3)
    circular = Circular(cluster=cluster, subject=SUBJECT, body=BODY, created_by=manager)
    query, contacts = _audience(circular)
    if not contacts:
        return {"created": False}
    circular.audience_query = query
    circular.state = Circular.State.SENT
    circular.sent_at = sent_at
    circular.recipients_planned = len(contacts)
    circular.save()
    circular.batch = Batch.objects.create(
        kind=KIND,
        content_type=ContentType.objects.get_for_model(Circular),
        object_id=circular.pk,
        created_by=manager,
        planned=len(contacts),
        builder="circulars.mails.circular_mails",
        dispatched_at=sent_at,
        progressed_at=sent_at,
    )
    circular.save(update_fields=["batch"])
    BatchRecipient.objects.bulk_create(
        BatchRecipient(batch=circular.batch, position=position, contact=contact)
        for position, contact in enumerate(contacts)
    )
    mails = circular_mails(circular.batch, contacts)
    for mail in mails:
        mail.state, mail.due_at, mail.sent_at = Mail.State.SENT, sent_at, sent_at
    mails = Mail.objects.bulk_create(mails)
    bounced = mails[0]
    bounce_record(
        email=bounced.recipient_email,
        kind=Bounce.Kind.HARD,
        reason=BOUNCE_REASON,
        source="postmark",
        report_key=f"demo:bounce:{bounced.pk}",
        mail_id=bounced.pk,
        at=sent_at + timedelta(minutes=4),
    )
    return {"created": True, "recipients": len(mails), "bounced": bounced.recipient_email}
