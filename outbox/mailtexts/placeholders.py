"""Placeholders staff may write into a mail text: `{{ forum.title }}`, `{{ registration_url }}`.

A placeholder is a path into the mail's context. Only the paths a kind offers are allowed:
the kind declares them in the catalogue (`outbox.catalogue.MailKind(placeholders=...)`), or
they are read off its sample context (plain values, and the stored fields of the objects in
it). Filling one in reads a value and formats it; nothing is called, no tag or filter runs,
so a text cannot reach beyond what the list beside the editor shows.
"""

import dataclasses
import re
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.markdown import markdown_to_html

PLACEHOLDER = re.compile(r"\{\{\s*(.*?)\s*\}\}", re.DOTALL)
# Template tags, comments and stray braces: none of them mean anything in a mail text.
FORBIDDEN = re.compile(r"\{%|%\}|\{#|#\}")
# Properties of models that read like fields; everything else a model offers is a method.
MODEL_PROPERTIES = {
    "full_name": gettext_lazy("Full name"),
    "location_text": gettext_lazy("Venue, as one line"),
}
PLAIN = (str, int, Decimal, date)
SECRET_FIELDS = frozenset({"password"})  # never in a mail, whatever the context holds
# `{{ starts_at.date }}`, `{{ starts_at.time }}`, `{{ starts_at.weekday }}`: one part alone.
DATETIME_PARTS = ("date", "time", "weekday")

# Every mail carries the sender; its name and contact address may appear in any text.
SENDER_PLACEHOLDERS = {
    "sender.name": gettext_lazy("Name of the sender (the cluster, or the agency)"),
    "sender.email": gettext_lazy("Contact address of the sender"),
}


class MarkdownText(str):
    """A value written in Markdown (a circular's text): the HTML part shows it formatted and
    sanitised, the text part as written. Offered only where a kind declares it."""


def names_in(source: str) -> list[str]:
    return [match.group(1) for match in PLACEHOLDER.finditer(source or "")]


def check(source: str, allowed, *, field_label) -> list[str]:
    """The German errors of one field: unknown placeholders, template tags, open braces."""
    errors = []
    for name in dict.fromkeys(names_in(source)):
        if name not in allowed:
            errors.append(
                _("%(field)s: the placeholder {{ %(name)s }} is not known for this mail.")
                % {"field": field_label, "name": name}
            )
    rest = PLACEHOLDER.sub("", source or "")
    if FORBIDDEN.search(rest):
        errors.append(
            _("%(field)s: template commands ({%% … %%}, {# … #}) are not allowed.")
            % {"field": field_label}
        )
    elif "{{" in rest or "}}" in rest:
        errors.append(
            _("%(field)s: a placeholder is not closed; write it as {{ name }}.")
            % {"field": field_label}
        )
    return errors


def check_all(fields: dict, allowed) -> None:
    """`fields`: label → source. Raises one ValidationError with every problem."""
    errors = []
    for label, source in fields.items():
        errors += check(source, allowed, field_label=label)
    if errors:
        raise ValidationError(errors)


def _model_value(obj: models.Model, name: str):
    if name in SECRET_FIELDS:
        return None
    if name in MODEL_PROPERTIES:
        return getattr(obj, name) if isinstance(getattr(type(obj), name, None), property) else None
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not field.concrete or field.is_relation:
        return None
    if field.choices:
        return getattr(obj, f"get_{name}_display")()
    return getattr(obj, field.attname)


def _step(value, name: str):
    if isinstance(value, datetime) and name in DATETIME_PARTS:
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        if name == "weekday":
            return formats.date_format(local, "l")  # in the active language
        return local.date() if name == "date" else local.time()
    if isinstance(value, dict):
        return value.get(name)
    if isinstance(value, models.Model):
        return _model_value(value, name)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # A plain record such as the sender's identity: its fields only, no methods.
        names = {field.name for field in dataclasses.fields(value)}
        return getattr(value, name) if name in names else None
    return None


def resolve(context: dict, name: str):
    """The raw value a placeholder names, or None."""
    value = context
    for part in name.split("."):
        value = _step(value, part)
        if value is None:
            return None
    return value


def display(value) -> str:
    """A value as a reader sees it, in the active language and Berlin time."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, time):
        return formats.time_format(value, "TIME_FORMAT")
    if isinstance(value, Decimal | int | float):
        return formats.localize(value)
    return str(value)


def fill_text(source: str, context: dict) -> str:
    """Plain text with the placeholders' values (a path that names nothing becomes empty)."""
    return PLACEHOLDER.sub(lambda m: display(resolve(context, m.group(1))), source or "")


def token(index: int) -> str:
    # Letters and digits only: Markdown leaves them alone, in text and in link targets.
    return f"mdplaceholder{index}x"


def tokenize(source: str) -> tuple[str, list[str]]:
    """Markdown with each placeholder replaced by a token; the names in token order."""
    names: list[str] = []

    def swap(match):
        names.append(match.group(1))
        return token(len(names) - 1)

    return PLACEHOLDER.sub(swap, source or ""), names


def fill_html(html: str, names: list[str], context: dict) -> str:
    """Puts the escaped values into rendered HTML. A link placeholder (`..._url`) standing
    alone becomes a link; inside a Markdown link it is the target."""
    for index in reversed(range(len(names))):  # mdplaceholder10x before mdplaceholder1x
        name, mark = names[index], token(index)
        raw = resolve(context, name)
        if isinstance(raw, MarkdownText):
            # Its own paragraphs: the one the placeholder stood in alone gives way to them.
            formatted = markdown_to_html(raw)
            html = html.replace(f"<p>{mark}</p>", formatted).replace(mark, formatted)
            continue
        # Line breaks of a value (a description, an agenda) stay line breaks.
        value = str(conditional_escape(display(raw))).replace("\n", "<br>\n")
        html = html.replace(f'href="{mark}"', f'href="{value}"')
        if name.endswith("_url"):
            html = html.replace(mark, f'<a href="{value}">{value}</a>')
        else:
            html = html.replace(mark, value)
    return html


def _fields_of(prefix: str, obj: models.Model, found: dict) -> None:
    for field in obj._meta.concrete_fields:
        if field.is_relation or field.primary_key or not field.editable:
            continue
        if field.name in SECRET_FIELDS:
            continue
        if isinstance(field, models.BooleanField | models.JSONField | models.FileField):
            continue
        if getattr(obj, field.attname, None) in (None, ""):
            continue
        label = str(field.verbose_name)
        found[f"{prefix}.{field.name}"] = label[:1].upper() + label[1:]
    for name, label in MODEL_PROPERTIES.items():
        if isinstance(getattr(type(obj), name, None), property):
            found[f"{prefix}.{name}"] = str(label)


def derived_from(sample: dict) -> dict[str, str]:
    """Placeholders read off a sample context: its plain values (described by an example)
    and the stored fields of the objects in it (described by the field's name)."""
    found: dict[str, str] = {}
    for key, value in sample.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, PLAIN):
            example = display(value)
            if example and "\n" not in example:
                found[key] = _("for example: %(value)s") % {"value": example[:80]}
            if isinstance(value, datetime):
                for part in DATETIME_PARTS:
                    found[f"{key}.{part}"] = _("for example: %(value)s") % {
                        "value": display(_step(value, part))
                    }
        elif isinstance(value, models.Model):
            _fields_of(key, value, found)
        elif isinstance(value, dict) and key not in ("sender",):
            for name, inner in value.items():
                if isinstance(inner, PLAIN) and not isinstance(inner, bool):
                    found[f"{key}.{name}"] = _("for example: %(value)s") % {
                        "value": display(inner)[:80]
                    }
    return found
