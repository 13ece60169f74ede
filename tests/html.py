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


class _Submission(HTMLParser):
    """What a browser sends for one form: checked boxes only, selected options, text areas."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.data: dict[str, list[str]] = {}
        self._inside = False
        self._select: tuple[str, bool] | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._inside = attrs.get("id") == self.form_id
            return
        if not self._inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value") or "on")
            elif kind not in ("submit", "button", "image", "file", "reset"):
                self._add(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = (name, "multiple" in attrs)
            self._first_option = None
            self.data.setdefault(name, [])
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = attrs.get("value", "")
            if "selected" in attrs:
                self._add(self._select[0], attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "select" and self._select:
            name, multiple = self._select
            if not multiple and not self.data[name] and self._first_option is not None:
                self.data[name].append(self._first_option)  # a browser sends the first one
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the line break that follows <textarea>.
            self.data[self._textarea][-1] = self.data[self._textarea][-1].removeprefix("\n")
            self._textarea = None


def submission(page: str, form_id: str) -> dict:
    """The data a browser would post for the form with this id, left as the page shows it
    (a value per name, a list where a name has several, e.g. a multiple select)."""
    parser = _Submission(form_id)
    parser.feed(page)
    return {name: values[0] if len(values) == 1 else values for name, values in parser.data.items()}
