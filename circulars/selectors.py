"""Reads of circulars: the list with its figures, one circular for the staff's pages."""

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404

from members.clusters import in_managed_clusters
from outbox.models import Bounce, Mail

from .mails import KIND
from .models import Circular


def bounced_mails_q(prefix: str = "mails__") -> Q:
    """Mails of a circular that bounced: a bounce report (hard or soft) names the mail, from
    the bounce mailbox or the ESP's webhook (outbox.bounces). A subquery, not a join, so the
    other counts over the same mails stay exact."""
    reported = Bounce.objects.filter(
        kind__in=(Bounce.Kind.HARD, Bounce.Kind.SOFT), mail__isnull=False
    ).values("mail_id")
    return Q(**{f"{prefix}state": Mail.State.SENT, f"{prefix}pk__in": reported})


def circulars_with_figures(*, user, cluster=None) -> QuerySet[Circular]:
    """The circulars of the user's clusters, newest first, each with recipients, sent, bounced
    and opted out since the send, counted in SQL (one query whatever the number of circulars
    and mails)."""
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
    circulars = circulars.filter(in_managed_clusters(user))
    if cluster is not None:
        circulars = circulars.filter(cluster=cluster)
    return circulars.order_by("-created_at", "-pk")


def circular_get_or_404(user, pk) -> Circular:
    """A circular of the user's clusters (another cluster's answers 404)."""
    circulars = Circular.objects.select_related("cluster", "batch")
    return get_object_or_404(circulars.filter(in_managed_clusters(user)), pk=pk)
