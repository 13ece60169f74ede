"""An ESP's tracking events (django-anymail's `tracking` signal) as bounce reports.

Anymail checks the webhook's basic auth (ANYMAIL_WEBHOOK_SECRET) before any event gets here,
and normalises each ESP's events; what is left to us is which of them clean the list.
Postmark tells a soft bounce only in its own field ("Type": "SoftBounce").
"""

from anymail.signals import EventType, RejectReason

from .bounces import bounce_record
from .models import Bounce

Kind = Bounce.Kind
KINDS = {
    EventType.BOUNCED: Kind.HARD,
    EventType.REJECTED: Kind.HARD,
    EventType.DEFERRED: Kind.SOFT,
    EventType.COMPLAINED: Kind.COMPLAINT,
    EventType.UNSUBSCRIBED: Kind.UNSUBSCRIBE,
}
# A bounce or a refusal says the address is bad only for these reasons; a virus alarm or a
# block for our own sending (DMARC policy, an unconfirmed sender) says nothing about it.
ADDRESS_REASONS = {RejectReason.BOUNCED, RejectReason.INVALID}
SOFT_ESP_TYPES = {"SoftBounce", "Transient", "DnsError"}


def kind_of(event) -> str | None:
    if event.reject_reason == RejectReason.UNSUBSCRIBED:
        return Kind.UNSUBSCRIBE
    if event.reject_reason == RejectReason.SPAM:
        return Kind.COMPLAINT
    kind = KINDS.get(event.event_type)
    if kind == Kind.HARD:
        unexplained_bounce = event.event_type == EventType.BOUNCED and event.reject_reason is None
        if event.reject_reason not in ADDRESS_REASONS and not unexplained_bounce:
            return None
        esp_event = event.esp_event if isinstance(event.esp_event, dict) else {}
        if esp_event.get("Type") in SOFT_ESP_TYPES:
            return Kind.SOFT
    return kind


def tracking_event_received(sender, event, esp_name, **kwargs) -> None:
    kind = kind_of(event)
    if kind is None or not event.recipient:
        return  # delivered, opened, clicked, ...: nothing to clean
    mail_id = str((event.metadata or {}).get("outbox_mail", ""))
    event_ref = event.event_id or f"{event.message_id}:{event.timestamp}"
    bounce_record(
        email=event.recipient,
        kind=kind,
        reason=" ".join(str(event.mta_response or event.description or "").split()),
        source=esp_name.lower()[:40],
        report_key=f"{esp_name}:{event.event_type}:{event_ref}:{event.recipient}".lower(),
        mail_id=int(mail_id) if mail_id.isdigit() else None,
        at=event.timestamp,
    )
