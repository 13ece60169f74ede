"""The anonymous pages' HTML in the cache, per cluster, language and page.

Each cluster has a version number in the cache; a change of one of its forums or of a
registration raises it (after the commit), so every page of that cluster is built anew. The
HTML itself lives at most PUBLIC_PAGE_CACHE_SECONDS (a minute): seats shown are never older.
Only pages without a form are cached: a CSRF token in cached HTML would be every later
visitor's token, and their POST would fail.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation

VERSION_KEY = "public:version:{cluster}"


def _seconds() -> int:
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 60)


ALL = "all"  # raised when the cluster of a change is not known without a query
OVERVIEW = "overview"  # the pages of every cluster: the overview, the sitemap


def _versions(cluster_key: str) -> str:
    keys = [VERSION_KEY.format(cluster=ALL), VERSION_KEY.format(cluster=cluster_key)]
    found = cache.get_many(keys)
    return ".".join(str(found.get(key, 1)) for key in keys)


def page_key(cluster_key: str, page: str) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"public:page:{cluster_key}:{_versions(cluster_key)}:{language}:{page}"


def cached_page(request, cluster_key: str, page: str, build) -> HttpResponse:
    """The page from the cache for anonymous visitors; `build()` renders it when missing.

    Logged-in people get it fresh: their navigation is their own.
    """
    if request.user.is_authenticated:
        return build()
    key = page_key(cluster_key, page)
    content = cache.get(key)
    if content is None:
        response = build()
        if response.status_code != 200:
            return response
        content = response.content
        cache.set(key, content, _seconds())
    response = HttpResponse(content)
    response["Cache-Control"] = f"public, max-age={_seconds()}"
    return response


def drop(cluster_key: str) -> None:
    """Forgets the cluster's pages once the running transaction has committed."""

    def bump():
        key = VERSION_KEY.format(cluster=cluster_key)
        if not cache.add(key, 2, None):
            cache.incr(key)

    transaction.on_commit(bump)
