"""Accessibility: axe-core (from npm) finds no serious or critical violation on the most used
pages, each opened in chromium by the persona who uses it, nor on the first page of every
other view the demo logins (and a visitor) reach by their links (some 60 views).

The pages are checked once, in the walk through the demo that the page checks share
(visits.py, at 1280 px). Each of the most used pages is its own test so the output names it;
the other views are one test that names each failing one.
"""

import pytest

from . import pages

FAILING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe_violations(site_visits) -> dict[str, list[dict]]:
    """axe's violations by page id (or "view (persona): url" for the crawled views)."""
    return {key: visit.axe for key, visit in site_visits.items()}


def _describe(violation: dict) -> str:
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
    shown = "; ".join(targets[:5]) + (f"; … {len(targets) - 5} more" if len(targets) > 5 else "")
    return (
        f"  [{violation['impact']}] {violation['id']}: {violation['help']}\n"
        f"      {violation['helpUrl']}\n      on: {shown}"
    )


@pytest.mark.parametrize("page_id", pages.PAGE_IDS)
def test_page_has_no_serious_accessibility_violation(axe_violations, page_id):
    failing = [v for v in axe_violations[page_id] if v.get("impact") in FAILING_IMPACTS]
    assert not failing, f"{page_id}: {len(failing)} serious/critical axe violation(s)\n" + (
        "\n".join(_describe(v) for v in failing)
    )


def test_every_view_a_persona_reaches_has_no_serious_violation(axe_violations):
    """Beyond the ten pages: the first page of every view the demo logins reach by links."""
    views = [key for key in axe_violations if key not in pages.PAGE_IDS]
    assert len(views) > 50, f"only {len(views)} views reached: {views}"
    failing = {
        key: [v for v in violations if v.get("impact") in FAILING_IMPACTS]
        for key, violations in axe_violations.items()
        if key in views
    }
    failing = {key: found for key, found in failing.items() if found}
    assert not failing, f"{len(failing)} of {len(views)} views:\n" + "\n".join(
        f"{key}\n" + "\n".join(_describe(v) for v in found) for key, found in failing.items()
    )
