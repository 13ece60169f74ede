"""The de-minimis regulations as data (migration 0002 loads them; tests whose database was
emptied by a transactional test load them again with `ensure`)."""

from datetime import date
from decimal import Decimal

REGULATIONS = [
    {
        "code": "2023/2831",
        "citation": (
            "Verordnung (EU) 2023/2831 der Kommission vom 13. Dezember 2023, ABl. L, 2023/2831, "
            "15.12.2023"
        ),
        "ceiling": Decimal("300000.00"),
        "window": "rolling",
        "valid_from": date(2024, 1, 1),
        "valid_until": date(2030, 12, 31),
    },
    {
        "code": "1407/2013",
        "citation": (
            "Verordnung (EU) Nr. 1407/2013 der Kommission vom 18. Dezember 2013, "
            "ABl. L 352 vom 24.12.2013, S. 1"
        ),
        "ceiling": Decimal("200000.00"),
        "window": "fiscal",
        "valid_from": date(2014, 1, 1),
        "valid_until": date(2023, 12, 31),
    },
]


def ensure(model) -> None:
    """Creates the known regulations that are missing; leaves edited ones alone."""
    for row in REGULATIONS:
        model.objects.get_or_create(code=row["code"], defaults=row)
