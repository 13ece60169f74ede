from django import template

from outbox import catalogue

register = template.Library()


@register.filter
def mail_kind(kind: str) -> str:
    """The kind's name for people ("Forum invitation"), not its code."""
    return catalogue.kind_label(kind)
