"""SME classification by EU Recommendation 2003/361/EC (see DOMAIN.md).

Pure functions on numbers, so every boundary is easy to pin in tests; services feed
them with the figures from the database and store the result.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .models import SmeClass

MILLION = Decimal(1_000_000)
# Ascending size; a class applies when staff < limit AND (turnover <= t OR balance <= b).
LIMITS = [
    (SmeClass.MICRO, Decimal(10), 2 * MILLION, 2 * MILLION),
    (SmeClass.SMALL, Decimal(50), 10 * MILLION, 10 * MILLION),
    (SmeClass.MEDIUM, Decimal(250), 50 * MILLION, 43 * MILLION),
]
ORDER = [SmeClass.MICRO, SmeClass.SMALL, SmeClass.MEDIUM, SmeClass.LARGE]
PARTNER_THRESHOLD = Decimal(25)
PUBLIC_THRESHOLD = Decimal(25)


@dataclass(frozen=True)
class Figures:
    staff_units: Decimal
    turnover: Decimal
    balance_sheet: Decimal

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(
            self.staff_units + other.staff_units,
            self.turnover + other.turnover,
            self.balance_sheet + other.balance_sheet,
        )

    def scaled(self, percent: Decimal) -> "Figures":
        factor = percent / Decimal(100)
        return Figures(
            self.staff_units * factor, self.turnover * factor, self.balance_sheet * factor
        )


ZERO = Figures(Decimal(0), Decimal(0), Decimal(0))


@dataclass(frozen=True)
class Holding:
    kind: str  # "partner" or "linked"
    share: Decimal
    figures: Figures


def aggregate(own: Figures, holdings: Iterable[Holding]) -> Figures:
    """Own figures plus linked enterprises in full and partner enterprises pro rata.

    A partner holding below 25 % leaves the enterprise autonomous: it adds nothing.
    """
    total = own
    for holding in holdings:
        if holding.kind == "linked":
            total = total + holding.figures
        elif holding.share >= PARTNER_THRESHOLD:
            total = total + holding.figures.scaled(holding.share)
    return total


def size_class(figures: Figures, public_share: Decimal = Decimal(0)) -> SmeClass:
    """The class one year's (aggregated) figures point to, before the two-period rule."""
    if public_share >= PUBLIC_THRESHOLD:
        # 25 % or more held by public bodies: not an SME, whatever the size.
        return SmeClass.LARGE
    for cls, staff, turnover, balance in LIMITS:
        if figures.staff_units < staff and (
            figures.turnover <= turnover or figures.balance_sheet <= balance
        ):
            return cls
    return SmeClass.LARGE


def effective_classes(size_classes: list[tuple[int, SmeClass]]) -> dict[int, SmeClass]:
    """Applies the two-period rule to (fiscal year, size class) pairs.

    The first recorded year sets the class. Later, the class changes only when the
    figures point beyond it in two consecutive years; it then moves as far as both
    years agree (micro, then small and medium: small, since only small was reached twice).
    A gap between recorded years breaks the sequence.
    """
    result: dict[int, SmeClass] = {}
    current: SmeClass | None = None
    previous: tuple[int, SmeClass] | None = None
    for year, cls in sorted(size_classes):
        if current is None:
            current = cls
        elif previous is not None and previous[0] == year - 1:
            before, now = ORDER.index(previous[1]), ORDER.index(cls)
            held = ORDER.index(current)
            if before > held and now > held:
                current = ORDER[min(before, now)]
            elif before < held and now < held:
                current = ORDER[max(before, now)]
        result[year] = current
        previous = (year, cls)
    return result
