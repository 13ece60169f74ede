"""Reading who speaks: `identity_for(cluster)` gives a cluster's identity, `identity_for()` the
agency's, as a plain value that mails, pages, PDFs and calendar files share.

Every page footer needs one, so it comes from the cache; `identity_forget` (called by the
services that change an identity) drops the entry. The layout's footer reads the agency's
through `agency_identity_for_pages`, kept a few seconds in the process as well.
"""

import base64
import logging
import time
from dataclasses import dataclass
from email.headerregistry import Address

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from core.markdown import markdown_to_html

from .models import Agency, Cluster
from .models.identity import LOGO_MAX_BYTES

log = logging.getLogger(__name__)

CACHE_SECONDS = 600
AGENCY = "agency"
# How long a process keeps the agency's identity for the page footers: a change made in
# another process shows in this one's footers within this time (mails read the cache).
PAGE_MEMO_SECONDS = 10
# (valid until, identity); replaced as a whole, so threads read it without a lock.
_page_memo: tuple[float, "Identity"] | None = None


@dataclass(frozen=True)
class Identity:
    """Who signs. `name`, `address` and `email` are what templates know as `sender`."""

    key: str  # the cluster's slug, or "agency"
    title: str  # the cluster's (or agency's) name
    short_name: str
    name: str  # the sender: who signs mails and pages
    email: str
    reply_to: str
    address: str
    city: str
    colour: str
    logo_path: str  # on this site; "" without a logo
    imprint_html: str
    imprint_text: str
    privacy_html: str = ""
    cluster_id: int | None = None  # None: the agency (mail texts are chosen by it)

    @property
    def logo_url(self) -> str:
        """Absolute, for mails."""
        return settings.SITE_URL.rstrip("/") + self.logo_path if self.logo_path else ""

    @property
    def from_header(self) -> str:
        # Unicode as typed (quoted where needed); the mail backend encodes it when sending.
        return str(Address(display_name=self.name, addr_spec=self.email))

    @property
    def reply_address(self) -> str:
        return self.reply_to or self.email

    @property
    def imprint(self):
        return mark_safe(self.imprint_html)  # noqa: S308 - sanitised by markdown_to_html

    @property
    def privacy(self):
        return mark_safe(self.privacy_html)  # noqa: S308 - sanitised by markdown_to_html


def cache_key(key: str) -> str:
    # v2: entries carry the cluster's id; older entries without it must not be read.
    return f"identity:v2:{key}"


def _logo_path(key: str, source) -> str:
    if not source.logo:
        return ""
    path = reverse("members:identity_logo", args=[key])
    # The change time in the URL: a new logo is a new address, so it may be cached long.
    return f"{path}?v={int(source.updated_at.timestamp())}"


def _identity(
    key: str, source, *, title: str, privacy: str = "", cluster_id: int | None = None
) -> Identity:
    imprint_html = markdown_to_html(source.imprint) if source.imprint else ""
    return Identity(
        key=key,
        title=title,
        short_name=source.short_name or title,
        name=source.sender_name,
        email=source.sender_email,
        reply_to=source.reply_to,
        address=source.address,
        city=source.city,
        colour=source.colour,
        logo_path=_logo_path(key, source),
        imprint_html=imprint_html,
        imprint_text=strip_tags(imprint_html).strip(),
        privacy_html=markdown_to_html(privacy) if privacy else "",
        cluster_id=cluster_id,
    )


def logo_data_uri(source: Cluster | Agency) -> str:
    """The logo inline, for PDFs (WeasyPrint fetches nothing over the network here)."""
    if not source.logo:
        return ""
    name = source.logo.name.lower()
    mimetype = "image/png" if name.endswith(".png") else "image/jpeg"
    try:
        with source.logo.open("rb") as logo:
            content = logo.read(LOGO_MAX_BYTES + 1)
    except OSError:
        return ""  # a logo lost from the storage: the document without it
    return f"data:{mimetype};base64,{base64.b64encode(content).decode('ascii')}"


def agency_get() -> Agency:
    """The agency's row; made from the settings' defaults if the data migration found none."""
    agency, _created = Agency.objects.get_or_create(pk=1)
    return agency


def cluster_identity(cluster: Cluster) -> Identity:
    """Built from the row at hand (no query): for the code that holds the cluster anyway."""
    return _identity(
        cluster.slug,
        cluster,
        title=cluster.name,
        privacy=cluster.privacy_notice,
        cluster_id=cluster.pk,
    )


def agency_identity_build(agency: Agency) -> Identity:
    return _identity(AGENCY, agency, title=agency.name)


def identity_for(cluster: Cluster | int | None = None) -> Identity:
    """The identity of this cluster (a row or its id), or the agency's for None."""
    cluster_id = cluster.pk if isinstance(cluster, Cluster) else cluster
    key = cache_key(f"cluster:{cluster_id}" if cluster_id else AGENCY)
    try:
        identity = cache.get(key)
    except Exception:  # Redis away: the database answers, a mail is not refused for it
        log.warning("members: identity cache unavailable", exc_info=True)
        identity, key = None, None
    if identity is None:
        if cluster_id is None:
            identity = agency_identity_build(agency_get())
        else:
            if not isinstance(cluster, Cluster):
                cluster = Cluster.objects.get(pk=cluster_id)
            identity = cluster_identity(cluster)
        if key is not None:
            cache.set(key, identity, CACHE_SECONDS)
    return identity


def agency_identity_for_pages() -> Identity:
    """The agency's identity for the layout of every page: from this process's memory for up
    to PAGE_MEMO_SECONDS, which spares each page a cache round trip."""
    global _page_memo
    memo = _page_memo
    now = time.monotonic()
    if memo is not None and memo[0] > now:
        return memo[1]
    identity = identity_for()
    _page_memo = (now + PAGE_MEMO_SECONDS, identity)
    return identity


def page_memo_forget() -> None:
    """This process's page footers read the agency's identity afresh at the next page."""
    global _page_memo
    _page_memo = None


def identity_forget(cluster_id: int | None = None) -> None:
    """Drops a cached identity: now, and again after the commit, so a request that read the
    old row meanwhile cannot keep it cached."""
    if cluster_id is None:
        page_memo_forget()
    key = cache_key(f"cluster:{cluster_id}" if cluster_id else AGENCY)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
