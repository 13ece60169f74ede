"""Reads of circulars: the list with its figures, one circular for the staff's pages."""

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404

from outbox.models import Mail, Suppression

from .mails import KIND
from .models import Circular


def bounced_mails_q(prefix: str = "mails__") -> Q:
    """Mails of a circular that bounced.

    The outbox marks no bounce on the mail row (yet): a bounce puts the address on the
    suppression list with the reason "bounce". A mail counts as bounced when it was sent and
    its address was suppressed for a bounce afterwards. When the outbox records bounces on
    the mail itself (a state), this is the one place to change.
    """
    bounced_addresses = Suppression.objects.filter(reason=Suppression.Reason.BOUNCE).values("email")
    return Q(
        **{
            f"{prefix}state": Mail.State.SENT,
            f"{prefix}recipient_email__in": bounced_addresses,
        }
    )


def circulars_with_figures(*, cluster=None) -> QuerySet[Circular]:
    """The circulars, newest first, each with recipients, sent, bounced and opted out since
    the send, counted in SQL (one query whatever the number of circulars and mails)."""
    of_circular = Q(mails__kind=KIND)
    circulars = Circular.objects.select_related("cluster", "created_by").annotate(
        mail_count=Count("mails", filter=of_circular),
        sent_count=Count("mails", filter=of_circular & Q(mails__state=Mail.State.SENT)),
        bounced_count=Count("mails", filter=of_circular & bounced_mails_q()),
        opted_out_count=Count(
            "mails__contact",
            filter=of_circular & Q(mails__contact__opted_out_at__gt=F("sent_at")),
            distinct=True,
        ),
    )
    if cluster is not None:
        circulars = circulars.filter(cluster=cluster)
    return circulars.order_by("-created_at", "-pk")


def circular_get_or_404(pk) -> Circular:
    return get_object_or_404(Circular.objects.select_related("cluster", "batch"), pk=pk)
