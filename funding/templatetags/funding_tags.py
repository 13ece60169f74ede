from decimal import Decimal

from django import template

from ..formatting import eur as _eur

register = template.Library()


@register.filter
def eur(value):
    return _eur(value)


@register.filter
def percent(share):
    """0.8 -> '80,0 %'."""
    if share is None:
        return "–"
    return f"{Decimal(share) * 100:.1f} %".replace(".", ",")
