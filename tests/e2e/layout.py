"""What a person sees of a page, checked in the browser: the layout (layout.js), the console,
and the visible text (formal German, no code names).

`watch_console(page)` starts collecting the console's errors; `problems(page, phone, errors)`
then lists every problem of the page open now as (kind, detail).
"""

import re
from pathlib import Path

from playwright.sync_api import Page

from tests.german import INFORMAL_PRONOUN

MEASURE_JS = (Path(__file__).resolve().parent / "layout.js").read_text(encoding="utf-8")

# Text that is not prose and may look like a code: e-mail addresses, URLs, paths, file names.
NOT_PROSE = re.compile(r"\S+@\S+|\b\w+://\S+|(?<!\w)/\S+|\b[\w-]+\.[a-z0-9]{2,4}\b")
# A code name a program uses (forum_invitation, staff_list), shown instead of a label.
CODE_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")

KINDS = (
    "page-scrolls-sideways",
    "wider-than-its-box",
    "field-without-size",
    "navigation-wraps",
    "console-error",
    "informal-address",
    "code-name",
)


def watch_console(page: Page) -> list[str]:
    """A list that fills with the page's console errors and uncaught exceptions; the caller
    empties it before each page it opens."""
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    return errors


def _visible_text(page: Page) -> str:
    """The text a person reads: rendered text, field placeholders and the window's title.
    Text set as code (`<code>`, e.g. the placeholders beside the mail text editor) is meant
    to be typed as shown and is left out."""
    return page.evaluate(
        """() => {
            let text = document.body.innerText;
            for (const code of document.querySelectorAll('code')) {
                if (code.innerText) text = text.split(code.innerText).join(' ');
            }
            return [document.title, text,
                    ...[...document.querySelectorAll('[placeholder]')].map(e => e.placeholder)
                   ].join('\\n');
        }"""
    )


def _text_problems(text: str) -> list[tuple[str, str]]:
    found = []
    for line in text.splitlines():
        if match := INFORMAL_PRONOUN.search(line):
            found.append(("informal-address", f"{match.group(0)!r} in {line.strip()[:120]!r}"))
        if match := CODE_NAME.search(NOT_PROSE.sub(" ", line)):
            found.append(("code-name", f"{match.group(0)!r} in {line.strip()[:120]!r}"))
    return found


def problems(page: Page, *, phone: bool, console_errors: list[str]) -> list[tuple[str, str]]:
    """Every problem of the page open now: its layout in the current window, the console
    errors collected since it was opened, its visible text."""
    found = [(p["kind"], p["detail"]) for p in page.evaluate(MEASURE_JS, phone)]
    found += [("console-error", error[:300]) for error in console_errors]
    found += _text_problems(_visible_text(page))
    return found
