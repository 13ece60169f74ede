"""The de-minimis arithmetic as pure functions on dates and amounts, so every boundary is easy
to pin in tests. Services and selectors feed them with rows from the database.

A grant on day D is checked against the regulation that applies on D:
- 2023/2831 (rolling): every grant in the three years up to D, i.e. from D minus three years
  plus one day through D (D = 15.03.2026 -> 16.03.2023 .. 15.03.2026).
- 1407/2013 (fiscal): every grant in D's fiscal year and the two before (calendar years here).
A new grant must also leave room under the ceiling for grants already planned after it whose
window includes it, so each of those windows is checked too.

When aid is granted. Regulation (EU) 2023/2831 Art. 3(3) (as 1407/2013 Art. 3(4) before it):
"De minimis aid shall be considered granted at the moment the legal right to receive the aid is
conferred on the undertaking under the applicable national legal regime, irrespective of the
date of payment of the de minimis aid to the undertaking." For a SEFEX workshop that right is
conferred by the binding booking (the agency's reading of its contract with the company), not
by the day the workshop is held. So (funding.aid_services):
- the aid record is made at the booking, dated then, with its value, and the ceiling and the
  company's declaration are checked at that date;
- other hours later change the value of that grant and are checked at the same date again;
- a booked workshop that does not take place is a waiver of the aid: the record stays, marked
  waived, and counts no more;
- the certificate is issued when the workshop is held and states the grant date of the booking;
  an issued certificate is never rewritten: a correction gets a new number and names the old.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

WARN_SHARE = Decimal("0.8")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Grant:
    day: date
    amount: Decimal


@dataclass(frozen=True)
class Rule:
    """What a regulation says (models.Regulation carries the same fields)."""

    code: str
    ceiling: Decimal
    window: str  # "rolling" or "fiscal"
    valid_from: date
    valid_until: date | None = None


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February -> 28 February
        return day.replace(year=day.year - years, day=28)


def window_start(day: date, window: str) -> date:
    """First day of the three-year period that ends on `day` (inclusive)."""
    if window == "fiscal":
        return date(day.year - 2, 1, 1)
    return _years_back(day, 3) + timedelta(days=1)


def rule_for(day: date, rules: Sequence[Rule]) -> Rule | None:
    """The regulation that applies to a grant on `day`."""
    for rule in rules:
        if rule.valid_from <= day and (rule.valid_until is None or day <= rule.valid_until):
            return rule
    return None


def window_total(grants: Iterable[Grant], day: date, window: str) -> Decimal:
    start = window_start(day, window)
    return sum((g.amount for g in grants if start <= g.day <= day), Decimal("0"))


@dataclass(frozen=True)
class Assessment:
    day: date  # the grant date whose window decides (the new one or a later planned one)
    rule: Rule | None
    total: Decimal  # aid in that window including the new grant
    ceiling: Decimal | None

    @property
    def exceeds(self) -> bool:
        return self.ceiling is not None and self.total > self.ceiling

    @property
    def share(self) -> Decimal:
        if not self.ceiling:
            return Decimal("0")
        return self.total / self.ceiling

    @property
    def warns(self) -> bool:
        return self.share >= WARN_SHARE

    @property
    def room(self) -> Decimal | None:
        return None if self.ceiling is None else self.ceiling - self.total


def assess(new: Grant, others: Sequence[Grant], rules: Sequence[Rule]) -> Assessment:
    """Checks the new grant's window and every later grant's window that includes it.

    Returns the tightest result: the first window that exceeds its ceiling, else the one with
    the highest share. Exactly at the ceiling is allowed; one cent more exceeds.
    """
    grants = [*others, new]
    days = [new.day] + sorted({g.day for g in others if g.day > new.day})
    worst: Assessment | None = None
    for day in days:
        rule = rule_for(day, rules)
        if rule is None:
            continue
        if window_start(day, rule.window) > new.day:
            continue  # this later grant's window no longer includes the new one
        result = Assessment(day, rule, window_total(grants, day, rule.window), rule.ceiling)
        if result.exceeds:
            return result
        if worst is None or result.share > worst.share:
            worst = result
    return worst or Assessment(new.day, None, window_total(grants, new.day, "rolling"), None)


def aid_value(hours: Decimal, hourly_value: Decimal, contribution_per_hour: Decimal) -> Decimal:
    """hours x value per hour minus the company's contribution, never below zero, in cents."""
    value = Decimal(hours) * (Decimal(hourly_value) - Decimal(contribution_per_hour))
    return max(value, Decimal("0")).quantize(CENT)


def groups(company_ids: Iterable[int], links: Iterable[tuple[int, int]]) -> dict[int, frozenset]:
    """Single undertakings: companies joined by control links, in either direction, transitively.

    Returns for each given company (and each linked one) the set of its group's company ids.
    """
    neighbours: dict[int, set[int]] = {}
    for a, b in links:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    result: dict[int, frozenset] = {}
    for start in [*company_ids, *neighbours]:
        if start in result:
            continue
        seen, todo = {start}, [start]
        while todo:
            for other in neighbours.get(todo.pop(), ()):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        group = frozenset(seen)
        for member in group:
            result[member] = group
    return result


# --- declarations -------------------------------------------------------------------------

IN_FORCE = "in_force"
PENDING = "pending"
SUPERSEDED = "superseded"


@dataclass(frozen=True)
class DeclaredAid:
    grantor: str
    granted_on: date
    amount: Decimal

    @property
    def key(self) -> tuple:
        """The same aid declared twice (spelling of the grantor aside) is counted once."""
        return (" ".join(self.grantor.casefold().split()), self.granted_on, self.amount)


def declaration_states(flags: Sequence[tuple[bool, bool]]) -> list[str]:
    """The state of each of a company's declarations, oldest first, from (needs_confirmation,
    confirmed) per declaration.

    A declaration is in force from when it is made, unless it left out prior aid that the one
    in force lists; then it waits for a project manager's confirmation and the one in force
    stays. A newer declaration in force supersedes every older one, waiting or not.
    """
    states: list[str] = []
    for needs_confirmation, confirmed in flags:
        if needs_confirmation and not confirmed and IN_FORCE in states:
            states.append(PENDING)
            continue
        states = [SUPERSEDED for _ in states]
        states.append(IN_FORCE)
    return states


def left_out(in_force: Iterable[DeclaredAid], new: Iterable[DeclaredAid], declared_on: date):
    """The aid the declaration in force lists, granted within the three years before the new
    declaration's date (any later ceiling check can still count it), that the new one leaves
    out."""
    since = _years_back(declared_on, 3)
    listed = {aid.key for aid in new}
    return [aid for aid in in_force if aid.granted_on > since and aid.key not in listed]


def counted_aid(declared: Iterable[DeclaredAid]) -> list[DeclaredAid]:
    """The aid of the declarations that count (the one in force and those waiting), each once."""
    seen, counted = set(), []
    for aid in declared:
        if aid.key not in seen:
            seen.add(aid.key)
            counted.append(aid)
    return counted
