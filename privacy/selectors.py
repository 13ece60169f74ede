"""Reads of the privacy app: everything stored about one contact, the privacy notice."""

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q
from django.forms.models import model_to_dict
from django.utils import translation
from django.utils.translation import gettext

from core.models import AuditEvent
from members.models import Contact
from outbox.models import Bounce, Mail

from .audit import PRIVACY_ACTIONS
from .models import Consent, PrivacyNotice


def _rows(queryset, fields=None):
    return [model_to_dict(obj, fields=fields) for obj in queryset]


def contact_export(contact: Contact) -> dict:
    """The contact, its history, consents, mails and registrations and workshop traces."""
    from forums.models import Registration
    from sefex.models import Workshop

    data = {
        "contact": model_to_dict(contact, exclude=["topics"])
        | {"topics": [t.name for t in contact.topics.all()], "company": str(contact.company)},
        "history": list(
            Contact.history.filter(id=contact.pk)
            .order_by("history_date")
            .values(
                "history_date",
                "history_type",
                "first_name",
                "last_name",
                "email",
                "phone",
                "opted_out_at",
                "receives_invitations",
            )
        ),
        "consents": _rows(Consent.objects.filter(contact=contact).order_by("requested_at")),
        "mails": list(
            Mail.objects.filter(contact=contact)
            .order_by("created_at")
            .values(
                "created_at", "kind", "recipient_email", "subject", "state", "sent_at", "text_body"
            )
        ),
        # Reports that a mail to the person bounced or that they complained (outbox.bounces).
        "bounces": list(
            Bounce.objects.filter(
                Q(mail__contact=contact)
                | (Q(email=contact.email.strip().lower()) if contact.email else Q(pk__in=[]))
            )
            .order_by("received_at")
            .values("received_at", "kind", "reason", "source")
        ),
        "registrations": [
            {"forum": str(r.forum), "state": r.state, "created_at": r.created_at}
            for r in Registration.objects.filter(contact=contact).select_related("forum")
        ],
        "workshops": [str(w) for w in Workshop.objects.filter(participants=contact).distinct()],
        "audit": list(
            privacy_events_of(contact)
            .annotate(created_at=F("at"))
            .values("created_at", "action", "reason")
        ),
    }
    return data


def _label(model, field: str, value) -> str:
    """A stored choice as people read it ("Mitglied", not "member")."""
    choices = dict(model._meta.get_field(field).flatchoices)
    return str(choices.get(value, value))


def contact_export_for_people(data: dict) -> dict:
    """`contact_export` with the field names and stored choices as labels, for the HTML page
    (the JSON export keeps the codes a program reads)."""
    from forums.models import Registration

    fields = {f.name: f for f in Contact._meta.get_fields() if hasattr(f, "verbose_name")}
    contact = []
    for name, value in data["contact"].items():
        field = fields.get(name)
        if field is not None and getattr(field, "flatchoices", None):
            value = _label(Contact, name, value)
        elif isinstance(value, bool):
            value = gettext("yes") if value else gettext("no")
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        contact.append((str(field.verbose_name) if field is not None else name, value))
    return data | {
        "contact": contact,
        "consents": [c | {"state": _label(Consent, "state", c["state"])} for c in data["consents"]],
        "mails": [m | {"state": _label(Mail, "state", m["state"])} for m in data["mails"]],
        "bounces": [b | {"kind": _label(Bounce, "kind", b["kind"])} for b in data["bounces"]],
        "registrations": [
            r | {"state": _label(Registration, "state", r["state"])} for r in data["registrations"]
        ],
    }


ENCODER = DjangoJSONEncoder


def notice_current() -> PrivacyNotice | None:
    language = (translation.get_language() or "de")[:2]
    return (
        PrivacyNotice.objects.filter(language=language).first()
        or PrivacyNotice.objects.filter(language="de").first()
    )


def privacy_events_of(contact: Contact):
    """The erasures and exports of one person's data in the audit trail."""
    return AuditEvent.objects.filter(
        action__in=PRIVACY_ACTIONS,
        content_type=ContentType.objects.get_for_model(Contact),
        object_id=str(contact.pk),
    ).order_by("at", "pk")


def audit_entries(limit: int = 200):
    """The newest erasures and exports with who acted, for the staff's privacy audit page."""
    return AuditEvent.objects.filter(action__in=PRIVACY_ACTIONS).select_related("actor")[:limit]
