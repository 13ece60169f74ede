"""Amounts and dates in the German form, independent of the active language: the certificate
and the refusal messages must read the same however the page is set."""

from decimal import Decimal


def eur(amount: Decimal | None) -> str:
    """1234567.5 -> '1.234.567,50 EUR'."""
    if amount is None:
        return "–"
    text = f"{Decimal(amount):,.2f}"  # 1,234,567.50
    return text.replace(",", "_").replace(".", ",").replace("_", ".") + " EUR"


def day(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""
