"""Retention: prospects' contacts with no activity and no consent are anonymised after
PRIVACY_PROSPECT_RETENTION_MONTHS (default 24) months."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from members.models import Contact, Relationship
from outbox.models import Mail

from .audit import PrivacyAction
from .erasure import contact_erase
from .models import Consent


def retention_months() -> int:
    return getattr(settings, "PRIVACY_PROSPECT_RETENTION_MONTHS", 24)


def stale_prospects(now=None):
    """Contacts of companies that are only prospects, idle since the cut-off, without consent."""
    from forums.models import Registration

    now = now or timezone.now()
    cutoff = now - timedelta(days=round(retention_months() * 30.44))
    today = timezone.localdate(now)
    current = Relationship.objects.filter(
        company_id=OuterRef("company_id"), valid_from__lte=today
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    return (
        Contact.objects.filter(Exists(current.filter(kind=Relationship.Kind.PROSPECT)))
        .exclude(Exists(current.exclude(kind=Relationship.Kind.PROSPECT)))
        .exclude(first_name="Anonymisiert")
        .filter(updated_at__lt=cutoff)
        .exclude(
            Exists(Consent.objects.filter(contact_id=OuterRef("pk"), state=Consent.State.CONFIRMED))
        )
        .exclude(
            Exists(Registration.objects.filter(contact_id=OuterRef("pk"), created_at__gte=cutoff))
        )
        .exclude(Exists(Mail.objects.filter(contact_id=OuterRef("pk"), created_at__gte=cutoff)))
        .exclude(sefex_workshops__isnull=False)
    )


def retention_run(*, now=None) -> list[int]:
    """Anonymises each stale prospect contact (one transaction each); returns their ids."""
    done = []
    for pk in list(stale_prospects(now).values_list("pk", flat=True).order_by("pk")):
        contact_erase(
            contact=Contact(pk=pk),
            actor=None,
            reason=f"Aufbewahrungsfrist abgelaufen ({retention_months()} Monate)",
            action=PrivacyAction.RETENTION_ERASED,
        )
        done.append(pk)
    return done
