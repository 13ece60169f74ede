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


def _shape(url: str) -> str:
    """The page's kind: its path with every number as N (/members/17/ -> /members/N/)."""
    return re.sub(r"\d+", "N", urlsplit(url).path)


def crawl(client, start: str = "/", max_pages: int = MAX_PAGES, per_shape: int | None = None):
    """Yields (url, response) breadth-first from `start`, following the links of every
    HTML page that answers 200 (the admin and static files aside). `per_shape` caps the pages
    of one kind (e.g. two company pages), to reach more kinds of page within `max_pages`."""
    seen: set[str] = set()
    queue, variants, shapes = deque([start]), Counter(), Counter()
    while queue and len(seen) < max_pages:
        url = queue.popleft()
        if url in seen:
            continue
        if per_shape is not None:
            shapes[_shape(url)] += 1
            if shapes[_shape(url)] > per_shape:
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
