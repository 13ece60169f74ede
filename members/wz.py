"""The economic activity code of a company: one class of WZ 2025 (= NACE Rev. 2.1, which the
central de-minimis register uses from 2026) and of WZ 2008, as `NN.NN` with an optional German
sub-class `NN.NN.N`.

The classes of the divisions that matter to metal and plastics clusters (22, 24, 25, 27, 28, 29,
30, 32, 33) ship with the app with their German titles (data/wz2008.json, data/wz2025.json, after
the Statistisches Bundesamt's WZ 2008 and WZ 2025); a code of one of these divisions must be one
of its classes. A code of any other division is checked for its form only.
"""

import json
import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SHIPPED_DIVISIONS = frozenset({"22", "24", "25", "27", "28", "29", "30", "32", "33"})
CODE = re.compile(r"^(?P<cls>(?P<division>\d{2})\.\d{2})(?:\.(?P<sub>\d))?$")
DATA = Path(__file__).with_name("data")
EDITIONS = ("wz2008", "wz2025")


@cache
def classes(edition: str) -> dict[str, str]:
    """{class code: German title} of the shipped divisions of one edition."""
    with (DATA / f"{edition}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def normalise(value: str) -> str:
    """'25,62 ' -> '25.62', '2562' -> '25.62', '25621' -> '25.62.1'; anything else unchanged."""
    value = (value or "").strip().replace(",", ".").replace(" ", "")
    digits = value.replace(".", "")
    if digits.isdigit() and len(digits) in (4, 5):
        value = f"{digits[:2]}.{digits[2:4]}" + (f".{digits[4]}" if len(digits) == 5 else "")
    return value


def class_of(code: str) -> str:
    """The class (NN.NN) of a code with or without sub-class; "" for none."""
    match = CODE.match(code or "")
    return match["cls"] if match else ""


def title(code: str, edition: str) -> str:
    return classes(edition).get(class_of(code), "")


def validate(code: str, edition: str) -> str:
    """The normalised code, or a ValidationError with a German message."""
    code = normalise(code)
    if not code:
        return ""
    match = CODE.match(code)
    if not match or match["division"] == "00":
        raise ValidationError(
            _("Please enter a class as NN.NN (e.g. 25.62) or a sub-class as NN.NN.N."),
            code="format",
        )
    if match["division"] in SHIPPED_DIVISIONS and match["cls"] not in classes(edition):
        raise ValidationError(
            _("%(code)s is not a class of division %(division)s in %(edition)s.")
            % {
                "code": match["cls"],
                "division": match["division"],
                "edition": "WZ 2025" if edition == "wz2025" else "WZ 2008",
            },
            code="unknown",
        )
    return code


def sector_patterns(text: str) -> list[tuple[str, str]]:
    """A sector's code text ('24.1-24.4', '25.51/25.52', '46.72, 71.12', '28') as ranges of
    prefixes [(first, last)]."""
    ranges = []
    for part in re.split(r"[/,]", text or ""):
        part = part.strip()
        if not part:
            continue
        first, _sep, last = part.partition("-")
        ranges.append((first.strip(), (last or first).strip()))
    return ranges


def in_sector(code: str, text: str) -> bool:
    """Whether a class lies within a sector's codes: '25.62' in '25.62', '28.12' in '28' and
    in '28.12-28.15', '24.33' in '24.1-24.4'."""
    cls = class_of(code)
    if not cls:
        return False
    for first, last in sector_patterns(text):
        if first <= cls[: len(first)] <= last[: len(first)] and cls[: len(last)] <= last:
            return True
    return False


def validate_wz2025(value: str) -> None:
    """Model field validator: the stored code must be a valid WZ 2025 code as stored."""
    if validate(value, "wz2025") != value:
        raise ValidationError(_("Please enter the code as NN.NN or NN.NN.N."), code="format")


def validate_wz2008(value: str) -> None:
    if validate(value, "wz2008") != value:
        raise ValidationError(_("Please enter the code as NN.NN or NN.NN.N."), code="format")


def sectors_of(code2008: str, code2025: str, sectors) -> list:
    """The sectors whose codes contain the company's classes (by either edition)."""
    return [
        sector
        for sector in sectors
        if in_sector(code2025, sector.wz2025) or in_sector(code2008, sector.wz2008)
    ]
