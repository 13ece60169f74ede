"""Reads of the edited mail texts: the version in force (cached), the history, the list."""

import logging

from django.core.cache import cache
from django.db.models import Max

from ..models import MailText

log = logging.getLogger(__name__)

CACHE_SECONDS = 300
# Stored for "no edited text": a missing key and "the shipped template applies" differ.
SHIPPED = "shipped"


def cache_key(template: str, language: str) -> str:
    return f"outbox:mailtext:{template}:{language}"


def text_in_force(template: str, language: str) -> dict | None:
    """The edited text of a template in a language (subject, text, body_markdown), or None
    when the shipped template applies. Kept in the cache: every rendered mail asks."""
    key = cache_key(template, language)
    try:
        found = cache.get(key)
    except Exception:  # Redis away: the database answers, a mail is not refused for it
        log.warning("outbox: mail text cache unavailable", exc_info=True)
        found, key = None, None
    if found is None:
        newest = (
            MailText.objects.filter(template=template, language=language)
            .order_by("-pk")
            .values("subject", "text", "body_markdown", "is_default")
            .first()
        )
        found = SHIPPED if newest is None or newest.pop("is_default") else newest
        if key is not None:
            cache.set(key, found, CACHE_SECONDS)
    return None if found == SHIPPED else found


def newest_versions() -> dict[tuple[str, str], MailText]:
    """(template, language) → its newest version, for the list of kinds: one query."""
    newest = MailText.objects.values("template", "language").annotate(newest=Max("pk"))
    rows = MailText.objects.filter(pk__in=newest.values("newest")).select_related("created_by")
    return {(row.template, row.language): row for row in rows}


def newest_version(template: str, language: str) -> MailText | None:
    return (
        MailText.objects.filter(template=template, language=language)
        .select_related("created_by")
        .order_by("-pk")
        .first()
    )


def history(template: str, language: str, limit: int = 50) -> list[MailText]:
    return list(
        MailText.objects.filter(template=template, language=language)
        .select_related("created_by")
        .order_by("-pk")[:limit]
    )
