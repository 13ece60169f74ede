"""Which days a workshop can take place on: Monday to Friday, not on a public holiday of
Baden-Württemberg (where the agency and its member companies are), and not on 24 or 31
December, which are no statutory holidays but on which German companies customarily close.

The public holidays come from the `holidays` package, which knows the moving feasts (Easter,
Ascension, Whit Monday, Corpus Christi) of every year.
"""

from datetime import date
from functools import lru_cache

import holidays

COUNTRY, SUBDIVISION = "DE", "BW"
CUSTOMARY_DAYS_OFF = ((12, 24), (12, 31))


@lru_cache(maxsize=16)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(COUNTRY, subdiv=SUBDIVISION, years=year))


def is_public_holiday(day: date) -> bool:
    return day in _public_holidays(day.year)


def is_workday(day: date) -> bool:
    if day.weekday() >= 5:
        return False
    if (day.month, day.day) in CUSTOMARY_DAYS_OFF:
        return False
    return not is_public_holiday(day)
