"""The anonymous pages' HTML in the cache, per cluster, language and page.

A change of any forum, registration or agenda item replaces one version in the cache
(after the commit); a cached page carries the version it was built under and is built anew
when they differ. One round trip to the cache per visit, no query: the pages are read far
more often than forums change, and the few clusters share one version. The HTML itself
lives at most PUBLIC_PAGE_CACHE_SECONDS (a minute): seats shown are never older, whatever
wrote them.

In front of the shared cache each process keeps the pages it served for
PUBLIC_PAGE_LOCAL_SECONDS (a few seconds): under load most visits then cost no round trip at
all. A change reaches the other processes within those seconds (in the writing process at
once). Only pages without a form are cached: a CSRF token in cached HTML would be every
later visitor's token, and their POST would fail.
"""

import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

VERSION_KEY = "public:version"
OVERVIEW = "overview"  # the pages of every cluster: the overview
LOCAL_LIMIT = 500  # pages kept in one process (clusters x languages x forums)
# key -> (time.time() it expires, HTML); plain dict operations are atomic between threads.
_local: dict[str, tuple[float, bytes]] = {}


def _seconds() -> int:
    return settings.PUBLIC_PAGE_CACHE_SECONDS


def page_key(cluster_slug: str, page: str) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"public:page:{cluster_slug}:{language}:{page}"


def cached_page(request, cluster_slug: str, page: str, build) -> HttpResponse:
    """The page from the cache for anonymous visitors; `build()` renders it when missing or
    out of date. Logged-in people get it fresh: their navigation is their own."""
    if request.user.is_authenticated:
        return build()
    key = page_key(cluster_slug, page)
    now = time.time()
    local = _local.get(key)
    if local is not None and local[0] > now:
        return _response(local[1])
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY, 0)
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        _version, content, expires_at = entry
    else:
        response = build()
        if response.status_code != 200:
            return response
        content, expires_at = response.content, now + _seconds()
        cache.set(key, (version, content, expires_at), _seconds())
    if len(_local) >= LOCAL_LIMIT:
        _local.clear()
    # Never past the shared entry's end: a page is at most PUBLIC_PAGE_CACHE_SECONDS old.
    _local[key] = (min(now + settings.PUBLIC_PAGE_LOCAL_SECONDS, expires_at), content)
    return _response(content)


def _response(content: bytes) -> HttpResponse:
    response = HttpResponse(content)
    response["Cache-Control"] = f"public, max-age={_seconds()}"
    # The language comes from the cookie (or Accept-Language): a shared cache in front must
    # not hand one visitor's language to the next.
    patch_vary_headers(response, ["Cookie"])
    return response


def drop() -> None:
    """Forgets every cached page once the running transaction has committed."""

    def bump():
        forget_local()
        # A new random version in one round trip (no read first): pages compare for equality.
        cache.set(VERSION_KEY, secrets.token_hex(8), None)

    transaction.on_commit(bump)


def forget_local() -> None:
    """Empties this process's copies (the shared cache keeps its own)."""
    _local.clear()
