"""Reads of the privacy app: everything stored about one contact, the privacy notice."""

from django.core.serializers.json import DjangoJSONEncoder
from django.forms.models import model_to_dict
from django.utils import translation

from members.models import Contact
from outbox.models import Mail

from .models import AuditEntry, Consent, PrivacyNotice


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
        "registrations": [
            {"forum": str(r.forum), "state": r.state, "created_at": r.created_at}
            for r in Registration.objects.filter(contact=contact).select_related("forum")
        ],
        "workshops": [str(w) for w in Workshop.objects.filter(participants=contact).distinct()],
        "audit": list(
            AuditEntry.objects.filter(contact_id=contact.pk).values(
                "created_at", "action", "reason"
            )
        ),
    }
    return data


ENCODER = DjangoJSONEncoder


def notice_current() -> PrivacyNotice | None:
    language = (translation.get_language() or "de")[:2]
    return (
        PrivacyNotice.objects.filter(language=language).first()
        or PrivacyNotice.objects.filter(language="de").first()
    )


def audit_entries(limit: int = 200):
    """The newest audit entries with who acted, for the staff audit page."""
    return AuditEntry.objects.select_related("actor")[:limit]
