"""Following the links a logged-in person is shown, as the link and HTML checks do."""

import re
from collections import Counter, deque
from collections.abc import Iterator
from urllib.parse import urldefrag, urlsplit

LINK = re.compile(r'href="(/[^"]*)"')
SKIPPED = ("/static/", "/media/", "/admin/", "/accounts/logout")
MAX_PAGES = 250
VARIANTS_PER_PATH = 3  # query strings per path, so paging and sorting do not crowd out the rest


def _links(html: str) -> Iterator[str]:
    for href in LINK.findall(html):
        url = urldefrag(href.replace("&amp;", "&"))[0]
        if not urlsplit(url).path.startswith(SKIPPED):
            yield url


def crawl(client, start: str = "/", max_pages: int = MAX_PAGES):
    """Yields (url, response) breadth-first from `start`, following the links of every
    HTML page that answers 200 (the admin and static files aside)."""
    seen: set[str] = set()
    queue, variants = deque([start]), Counter()
    while queue and len(seen) < max_pages:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        yield url, response
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            for link in _links(response.content.decode()):
                path = urlsplit(link).path
                variants[path] += 1
                if variants[path] <= VARIANTS_PER_PATH:
                    queue.append(link)
