"""Postcodes by country: a German one has five digits, a few neighbours' formats are known,
and any other country's postcode is letters, digits, spaces and hyphens."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Country code -> (pattern, an example); the cluster's companies sit in Germany and around.
KNOWN = {
    "DE": (r"\d{5}", "74072"),
    "AT": (r"\d{4}", "6020"),
    "CH": (r"\d{4}", "8001"),
    "LI": (r"\d{4}", "9490"),
    "FR": (r"\d{5}", "67000"),
    "IT": (r"\d{5}", "20121"),
    "LU": (r"\d{4}", "1009"),
    "BE": (r"\d{4}", "1000"),
    "NL": (r"\d{4} ?[A-Z]{2}", "1011 AB"),
    "PL": (r"\d{2}-\d{3}", "00-950"),
    "CZ": (r"\d{3} ?\d{2}", "110 00"),
    "DK": (r"\d{4}", "1050"),
}
ANY = r"[0-9A-Za-z][0-9A-Za-z -]{1,8}[0-9A-Za-z]"


def validate_postcode(value: str, country: str = "DE") -> None:
    """Raises a ValidationError with a clear message if `value` is no postcode of `country`
    (an ISO code; Germany when none is known). An empty value is left to `blank`."""
    if not value:
        return
    pattern, example = KNOWN.get(country, (ANY, ""))
    if re.fullmatch(pattern, value):
        return
    if country == "DE":
        message = _("A German postcode has exactly five digits, e.g. 74072.")
    elif example:
        message = _("This is no postcode of the chosen country; it looks like %(example)s.")
    else:
        message = _("Enter a postcode of letters, digits, spaces and hyphens (3 to 10).")
    raise ValidationError(message, code="invalid_postcode", params={"example": example})
