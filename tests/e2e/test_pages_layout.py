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

# Known failures on pages reworked in parallel (forums, SEFEX, funding, cockpit), by view
# name: (reason, the kinds of problem expected there). A listed view that shows another kind
# of problem still fails, and one that no longer fails must leave the list
# (test_expected_failures_still_fail).
SIDEWAYS, WIDER, NO_SIZE, CONSOLE = (
    "page-scrolls-sideways",
    "wider-than-its-box",
    "field-without-size",
    "console-error",
)
EXPECTED_FAILURES: dict[str, tuple[str, frozenset[str]]] = {
    "forums:create": (
        "forums the agenda formset sits in a 0 px box (floated legend, table wrapper)",
        frozenset({SIDEWAYS, WIDER, NO_SIZE}),
    ),
    "forums:edit": (
        "forums the agenda formset sits in a 0 px box (floated legend, table wrapper)",
        frozenset({SIDEWAYS, WIDER, NO_SIZE}),
    ),
    "members:company": (
        "SEFEX the maturity chart of the company's workshops writes German decimals "
        "('184,0') into SVG coordinates",
        frozenset({CONSOLE}),
    ),
    "sefex:portal": (
        "SEFEX the same maturity chart; its tables widen the page on a phone",
        frozenset({CONSOLE, SIDEWAYS}),
    ),
    "sefex:detail": (
        "SEFEX the action items table widens the page on a phone",
        frozenset({SIDEWAYS}),
    ),
    "funding:company": (
        "funding the declarations' aid table is wider than its box on a phone",
        frozenset({SIDEWAYS, WIDER}),
    ),
    "funding:my": (
        "funding the declarations' aid table is wider than its box on a phone",
        frozenset({SIDEWAYS, WIDER}),
    ),
    "cockpit:dashboard": (
        "cockpit the sectors table is wider than its details box on a phone",
        frozenset({WIDER}),
    ),
}

WINDOWS = ("desktop", "phone")


def _found(visit, window: str, kind: str) -> list[str]:
    return [detail for found, detail in getattr(visit, window) if found == kind]


def _expected(visit, kind: str) -> bool:
    _reason, kinds = EXPECTED_FAILURES.get(visit.view, ("", frozenset()))
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
