"""Form widgets shared by the apps."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchableSelect(forms.Select):
    """A select for long lists (companies, contacts): static/js/searchable-select.js turns it
    into a field that filters as one types. Without JavaScript it stays a plain select."""

    def __init__(self, attrs=None, choices=()):
        defaults = {
            "class": "form-select",
            "data-searchable": "",
            "data-placeholder": _("Type to search …"),
            "data-no-results": _("No match"),
            "data-clear": _("Clear the choice"),
        }
        super().__init__({**defaults, **(attrs or {})}, choices)
