"""The editor's first draft of a kind that has no edited text yet: the shipped default,
rendered with the sample data, with each sample value turned back into its placeholder."""

from django.utils import translation

from ..catalogue import MailKind
from . import placeholders
from .catalogue import placeholders_of, sample_context
from .preview import render_default

SIGNATURE = "\n-- \n"  # the shipped text layout puts the imprint after this line
SHORTEST_VALUE = 4  # shorter sample values ("40", "de") would match by chance


def starter_draft(mail_type: MailKind, language: str) -> dict:
    # One sample for both: links in it carry signatures that differ from call to call.
    sample = sample_context(mail_type)
    rendered = render_default(mail_type, language, sample)
    with translation.override(language):
        values = {}
        for name in placeholders_of(mail_type):
            raw = placeholders.resolve(sample, name)
            value = placeholders.display(raw).strip()
            # A Markdown text stands in the text part as written, line breaks and all.
            one_line = "\n" not in value or isinstance(raw, placeholders.MarkdownText)
            if len(value) >= SHORTEST_VALUE and one_line and not value.isdigit():
                values.setdefault(value, name)
    subject, text = rendered.subject, rendered.text.split(SIGNATURE)[0].strip()
    for value in sorted(values, key=len, reverse=True):
        mark = "{{ " + values[value] + " }}"
        subject, text = subject.replace(value, mark), text.replace(value, mark)
    return {"subject": subject, "text": "", "body_markdown": hard_breaks(text)}


def hard_breaks(text: str) -> str:
    """Keeps the default's line breaks in Markdown (two spaces end a line within a paragraph)."""
    lines = text.split("\n")
    return "\n".join(
        line + "  "
        if line.strip() and index + 1 < len(lines) and lines[index + 1].strip()
        else line
        for index, line in enumerate(lines)
    )
