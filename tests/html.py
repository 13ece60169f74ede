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


FIELDS = ("input", "select", "textarea")


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._open = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
            }
            self.found.append(self._open)
        elif self._open is not None and tag in FIELDS and attrs.get("name"):
            self._open["fields"][attrs["name"]] = (attrs.get("type") or tag, attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def forms(page: str) -> list[dict]:
    """Every form: method, action ("" for the page itself) and fields {name: (type, value)}."""
    parser = _Forms()
    parser.feed(page)
    return parser.found
