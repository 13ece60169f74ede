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
                "id": attrs.get("id") or "",
                "fields": {},
                "options": {},
                "buttons": [],
            }
            self.found.append(self._open)
        elif self._open is None:
            return
        elif tag in FIELDS and attrs.get("name"):
            kind = attrs.get("type") or tag
            if kind == "radio":
                # Each radio button is one choice of its field.
                self._open["options"].setdefault(attrs["name"], []).append(attrs.get("value", ""))
            self._open["fields"][attrs["name"]] = (kind, attrs.get("value", ""))
        elif tag == "button" and (attrs.get("type") or "submit") == "submit":
            self._open["buttons"].append({"name": attrs.get("name"), "value": attrs.get("value")})

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def forms(page: str) -> list[dict]:
    """Every form: method, action ("" for the page itself), id, fields {name: (type, value)},
    options {radio name: [values]} and its submit buttons [{name, value}]."""
    parser = _Forms()
    parser.feed(page)
    return parser.found
