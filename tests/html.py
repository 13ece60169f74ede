"""Reading pages back as a browser would: the attributes of the elements, not the markup."""

from html.parser import HTMLParser


class _Iframes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "iframe":
            self.found.append(dict(attrs))


def iframes(page: str) -> list[dict]:
    """The attributes of every iframe, unescaped (`srcdoc` is the document it shows)."""
    parser = _Iframes()
    parser.feed(page)
    return parser.found
