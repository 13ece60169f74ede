"""An edited mail text into subject, text and HTML, inside the shipped layout.

The Markdown becomes sanitised HTML (core.markdown) with the placeholders' values put in
escaped afterwards, so a value can neither add markup nor be read as Markdown. Header,
imprint and opt-out link come from the layout templates, not from the edited text.
"""

import re

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from core.markdown import markdown_to_html

from . import placeholders

MARKDOWN_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\n]+)\)")  # [text](address)


def render_edited(edited: dict, context: dict) -> tuple[str, str, str]:
    """`edited`: subject, text, body_markdown; `context`: the mail's full context (with the
    sender and the opt-out link). Call inside the mail's language. Returns subject, text, HTML.
    """
    subject = " ".join(placeholders.fill_text(edited["subject"], context).split())
    marked, names = placeholders.tokenize(edited["body_markdown"])
    content = placeholders.fill_html(markdown_to_html(marked), names, context)
    # Without a text of its own, the text part is the Markdown, which reads well as plain
    # text once links show their address.
    text_source = edited["text"].strip() or MARKDOWN_LINK.sub(r"\1: \2", edited["body_markdown"])
    layout = context | {"subject": subject}
    text = render_to_string(
        "outbox/mailtexts/layout_body.txt",
        layout | {"content": placeholders.fill_text(text_source, context).strip()},
    )
    # Sanitised by markdown_to_html; the values put in afterwards are escaped.
    safe_content = mark_safe(content)  # noqa: S308
    html = render_to_string("outbox/mailtexts/layout_body.html", layout | {"content": safe_content})
    return subject, text.strip() + "\n", html
