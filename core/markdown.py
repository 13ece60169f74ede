"""Markdown written by staff (mail templates, circulars) to safe HTML.

markdown-it-py renders CommonMark with tables and strikethrough; nh3 then keeps only the tags
and attributes a mail client shows, so a pasted <script> or an onclick never reaches a reader.
Raw HTML in the source is escaped, not passed through.
"""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "hr", "i", "li", "ol",
    "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"align"}, "th": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)


def markdown_to_html(source: str) -> str:
    """Sanitised HTML of a Markdown text; safe to mark safe in a template."""
    return nh3.clean(
        _renderer.render(source or ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
