"""Layout: every page the accessibility check opens (the most used pages and the first page of
every view the demo logins and a visitor reach) is usable in chromium at 1280×800 and at
390×844: the page does not scroll sideways, no table, form or card sticks out of its box (on
a phone a table may scroll inside its own box), no form field is squeezed to nothing, the
console reports no error, the text says "Sie" and shows labels, not code names (layout.py).

The pages are opened once, in the walk through the demo that the page checks share
(visits.py).
"""

import pytest

from .layout import KINDS

# The walk reaches this many views or more; fewer means a persona lost its way (a broken
# login, a link gone) and the checks below would pass on less than they claim to.
EXPECTED_VIEWS = 61

WINDOWS = ("desktop", "phone")


def _found(visit, window: str, kind: str) -> list[str]:
    return [detail for found, detail in getattr(visit, window) if found == kind]


def test_the_walk_reaches_every_view(site_visits):
    views = sorted({visit.view for visit in site_visits.values()})
    assert len(views) >= EXPECTED_VIEWS, f"only {len(views)} views reached: {views}"


@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("kind", KINDS)
def test_no_view_has_the_problem(site_visits, kind, window):
    failing = {
        key: details
        for key, visit in site_visits.items()
        if (details := _found(visit, window, kind))
    }
    assert not failing, f"{kind} at {window} size on {len(failing)} pages:\n" + "\n".join(
        f"{key}\n" + "\n".join(f"    {detail}" for detail in dict.fromkeys(details[:5]))
        for key, details in failing.items()
    )
