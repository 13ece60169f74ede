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
EXPECTED_VIEWS = 52

# Known failures on pages other work is fixing now, by view name: (reason, the kinds of
# problem expected there). A listed view that shows another kind of problem still fails, and
# one that no longer fails must leave the list (test_expected_failures_still_fail).
EXPECTED_FAILURES: dict[str, tuple[str, frozenset[str]]] = {}

WINDOWS = ("desktop", "phone")


def _found(visit, window: str, kind: str) -> list[str]:
    return [detail for found, detail in getattr(visit, window) if found == kind]


def _expected(visit, kind: str) -> bool:
    reason, kinds = EXPECTED_FAILURES.get(visit.view, ("", frozenset()))
    return kind in kinds


def test_the_walk_reaches_every_view(site_visits):
    views = sorted({visit.view for visit in site_visits.values()})
    assert len(views) >= EXPECTED_VIEWS, f"only {len(views)} views reached: {views}"


@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("kind", KINDS)
def test_no_view_has_the_problem(site_visits, kind, window):
    failing = {
        key: details
        for key, visit in site_visits.items()
        if (details := _found(visit, window, kind)) and not _expected(visit, kind)
    }
    assert not failing, f"{kind} at {window} size on {len(failing)} pages:\n" + "\n".join(
        f"{key}\n" + "\n".join(f"    {detail}" for detail in dict.fromkeys(details[:5]))
        for key, details in failing.items()
    )


def test_expected_failures_still_fail(site_visits):
    """The list above holds only what still fails: a fixed page leaves it."""
    visited: dict[str, list] = {}
    for visit in site_visits.values():
        visited.setdefault(visit.view, []).append(visit)
    stale = {
        view: sorted(
            kind
            for kind in kinds
            if not any(
                _found(visit, window, kind) for visit in visited[view] for window in WINDOWS
            )
        )
        for view, (_, kinds) in EXPECTED_FAILURES.items()
        if view in visited
    }
    unvisited = sorted(set(EXPECTED_FAILURES) - set(visited))
    stale = {view: kinds for view, kinds in stale.items() if kinds}
    assert not unvisited, f"listed as expected to fail but not visited: {unvisited}"
    assert not stale, f"no longer failing, remove from EXPECTED_FAILURES: {stale}"
