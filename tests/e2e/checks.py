"""The checks a journey makes at its key steps: a picture at 1280 and at 390 pixels wide,
the layout checks (layout.py) at both widths and axe-core's serious and critical findings."""

from playwright.sync_api import Page

from . import layout
from .visits import AXE_JS

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def axe_serious(page: Page) -> list[str]:
    """The rules axe-core finds broken with serious or critical impact on the page open now."""
    page.evaluate(AXE_JS.read_text())
    violations = page.evaluate("axe.run(document).then(r => r.violations)")
    return [v["id"] for v in violations if v.get("impact") in {"serious", "critical"}]


def both_widths(page: Page, screens, step: str) -> None:
    """`screens.take` at both widths; the page must pass the layout and axe checks."""
    for width, size in ((1280, WIDE), (390, PHONE)):
        page.set_viewport_size(size)
        screens.take(f"{step}-{width}")
        assert layout.problems(page, phone=width == 390, console_errors=[]) == [], (step, width)
    page.set_viewport_size(WIDE)
    assert axe_serious(page) == [], step
