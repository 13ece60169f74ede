"""Reads of the edited mail texts: the version in force (cached), the history, the list.

A cluster's text is its newest version; without one (or after its reset) the cluster inherits
the agency-wide text, and without that the shipped template applies.
"""

import logging

from django.core.cache import cache
from django.db.models import Max, Q

from ..models import MailText

log = logging.getLogger(__name__)

CACHE_SECONDS = 300
# Stored for "no edited text": a missing key and "the shipped template applies" differ.
SHIPPED = "shipped"
AGENCY = "agency"


def cache_key(template: str, language: str, cluster_id: int | None = None) -> str:
    return f"outbox:mailtext:{template}:{language}:{cluster_id or AGENCY}"


def _own_or_agency(cluster_id: int | None) -> Q:
    if cluster_id is None:
        return Q(cluster__isnull=True)
    return Q(cluster_id=cluster_id) | Q(cluster__isnull=True)


def _resolve(template: str, language: str, cluster_id: int | None) -> dict | str:
    # The newest row of the cluster and of the agency in one query (on SQLite too).
    own_or_agency = MailText.objects.filter(
        _own_or_agency(cluster_id), template=template, language=language
    )
    newest = own_or_agency.values("cluster_id").annotate(newest=Max("pk")).values("newest")
    rows = {
        row.pop("cluster_id"): row
        for row in MailText.objects.filter(pk__in=newest).values(
            "cluster_id", "subject", "text", "body_markdown", "is_default"
        )
    }
    for owner in dict.fromkeys((cluster_id, None)):  # the cluster's, then the agency's
        row = rows.get(owner)
        if row is not None and not row.pop("is_default"):
            return row
    return SHIPPED


def text_in_force(template: str, language: str, cluster_id: int | None = None) -> dict | None:
    """The edited text of a template in a language for a cluster's mails (None: the agency's)
    as subject, text, body_markdown, or None when the shipped template applies. Kept in the
    cache, per cluster: every rendered mail asks."""
    key = cache_key(template, language, cluster_id)
    try:
        found = cache.get(key)
    except Exception:  # Redis away: the database answers, a mail is not refused for it
        log.warning("outbox: mail text cache unavailable", exc_info=True)
        found, key = None, None
    if found is None:
        found = _resolve(template, language, cluster_id)
        if key is not None:
            cache.set(key, found, CACHE_SECONDS)
    return None if found == SHIPPED else found


def newest_versions(cluster_id: int | None = None) -> dict[tuple[str, str, int | None], MailText]:
    """(template, language, cluster id or None) → its newest version, of the cluster and of
    the agency, for the list of kinds: one query."""
    newest = (
        MailText.objects.filter(_own_or_agency(cluster_id))
        .values("template", "language", "cluster_id")
        .annotate(newest=Max("pk"))
    )
    rows = MailText.objects.filter(pk__in=newest.values("newest")).select_related("created_by")
    return {(row.template, row.language, row.cluster_id): row for row in rows}


def newest_version(template: str, language: str, cluster_id: int | None = None) -> MailText | None:
    """The newest version of the cluster's own text (None: of the agency-wide one)."""
    return (
        MailText.objects.filter(template=template, language=language, cluster_id=cluster_id)
        .select_related("created_by")
        .order_by("-pk")
        .first()
    )


def history(
    template: str, language: str, cluster_id: int | None = None, limit: int = 50
) -> list[MailText]:
    return list(
        MailText.objects.filter(template=template, language=language, cluster_id=cluster_id)
        .select_related("created_by")
        .order_by("-pk")[:limit]
    )
