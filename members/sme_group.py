"""The figures of an enterprise together with its linked and partner enterprises, by the annex
of EU Recommendation 2003/361/EC. Pure functions on plain data, so each rule is pinned in tests;
services and selectors feed them with the database rows of one reference year.

- Art. 3(3): linked enterprises (control in any of its forms) count at 100 %, also when the
  link runs through other enterprises: the linked group is every enterprise reachable through
  control links, in either direction (a parent, a subsidiary, a sister through a common parent).
- Art. 3(2): a holding of 25 % to 50 % (the greater of capital and votes) makes a partner; one
  below 25 % or held by an investor named in Art. 3(2) (up to 50 %, without control) leaves the
  enterprise autonomous: nothing is added.
- Art. 6(2): the partners immediately up- or downstream of the enterprise count pro rata, each
  with the figures of its own linked enterprises at 100 % (Art. 6(3) first sentence).
- Art. 6(3): the partners of each linked enterprise count pro rata too; partners of partners do
  not. Every enterprise counts once: a partner group reached through several holdings counts
  once, with the sum of those holdings (capped at 100 %).
- Art. 6(2) and 6(4): consolidated accounts, where entered, replace the own figures of the
  enterprises they consolidate (the company and everything it controls, downstream).
- Art. 4(1): all figures are those of one reference year.

Every member of a linked group therefore gets the same total, whichever company you look from.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .sme import PARTNER_THRESHOLD, ZERO, Figures

LINKED = "linked"
PARTNER = "partner"
PARTNER_CEILING = Decimal(50)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Edge:
    """`holder` holds `share` % of `held`; for LINKED: `holder` controls `held`."""

    holder: object
    held: object
    kind: str
    share: Decimal
    investor_exception: bool = False


@dataclass(frozen=True)
class Accounts:
    figures: Figures
    consolidated: bool = False


@dataclass
class Line:
    """One row of the explanation: whose figures, at which share, and what they add."""

    role: str  # "own", "linked", "consolidated", "partner", "ignored", "missing"
    enterprise: object
    share: Decimal
    figures: Figures
    added: Figures
    note: str = ""
    members: tuple = ()  # for a partner: the enterprises of its linked group, itself first


@dataclass
class GroupResult:
    subject: object
    linked: frozenset
    lines: list = field(default_factory=list)
    total: Figures = ZERO

    @property
    def missing(self) -> list:
        return [line.enterprise for line in self.lines if line.role == "missing"]


def merge_edges(edges: Iterable[Edge]) -> list[Edge]:
    """The same holding entered on both sides counts once; control beats partnership and the
    greater share wins."""
    best: dict[tuple, Edge] = {}
    for edge in edges:
        if edge.holder == edge.held:
            continue
        key = (edge.holder, edge.held)
        old = best.get(key)
        if old is None or (edge.kind == LINKED, edge.share) > (old.kind == LINKED, old.share):
            best[key] = edge
    return list(best.values())


def linked_groups(nodes: Iterable, edges: Iterable[Edge]) -> dict[object, frozenset]:
    """Each enterprise's linked group: connected through control links, in either direction."""
    neighbours: dict[object, set] = defaultdict(set)
    for edge in edges:
        if edge.kind == LINKED:
            neighbours[edge.holder].add(edge.held)
            neighbours[edge.held].add(edge.holder)
    result: dict[object, frozenset] = {}
    for start in [*nodes, *neighbours]:
        if start in result:
            continue
        seen, todo = {start}, [start]
        while todo:
            for other in neighbours[todo.pop()]:
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        group = frozenset(seen)
        for member in group:
            result[member] = group
    return result


def counts_as_partner(edge: Edge) -> bool:
    """A partner holding adds figures: 25 % or more, not an Art. 3(2) investor up to 50 %."""
    if edge.kind != PARTNER or edge.share < PARTNER_THRESHOLD:
        return False
    return not (edge.investor_exception and edge.share <= PARTNER_CEILING)


def _downstream(start, edges: list[Edge]) -> set:
    """`start` and every enterprise it controls, directly or through others."""
    controls: dict[object, set] = defaultdict(set)
    for edge in edges:
        if edge.kind == LINKED:
            controls[edge.holder].add(edge.held)
    seen, todo = {start}, [start]
    while todo:
        for other in controls[todo.pop()]:
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _group_figures(group: frozenset, accounts: dict, edges: list[Edge], order) -> tuple:
    """(total, lines) of one linked group at 100 %: consolidated accounts replace the own
    figures of what they consolidate; the outermost consolidation wins."""
    consolidating = [e for e in group if e in accounts and accounts[e].consolidated]
    covered_by = {e: _downstream(e, edges) & group for e in consolidating}
    # The outermost consolidation first; one it contains adds nothing of its own.
    chosen: list = []
    for enterprise in sorted(consolidating, key=lambda e: (-len(covered_by[e]), order(e))):
        if not any(enterprise in covered_by[other] for other in chosen):
            chosen.append(enterprise)
    covered = set().union(*(covered_by[e] for e in chosen)) if chosen else set()
    total, lines = ZERO, []
    for enterprise in sorted(group, key=order):
        if enterprise in chosen:
            figures = accounts[enterprise].figures
            members = tuple(sorted(covered_by[enterprise], key=order))
            lines.append(Line("consolidated", enterprise, HUNDRED, figures, figures, "", members))
            total = total + figures
        elif enterprise in covered:
            continue
        elif enterprise in accounts:
            figures = accounts[enterprise].figures
            lines.append(Line(LINKED, enterprise, HUNDRED, figures, figures))
            total = total + figures
        else:
            lines.append(Line("missing", enterprise, HUNDRED, ZERO, ZERO))
    return total, lines


def aggregate_group(subject, accounts: dict, edges: Iterable[Edge], order=str) -> GroupResult:
    """The subject's figures for the SME test, with a line per enterprise that counted.

    `accounts`: {enterprise: Accounts} of the reference year (an enterprise without figures
    that year is listed as missing and adds nothing); `edges`: the holdings of that year.
    """
    edges = merge_edges(edges)
    groups = linked_groups([subject], edges)
    linked = groups[subject]
    total, lines = _group_figures(linked, accounts, edges, order)
    for line in lines:
        if line.enterprise == subject and line.role == LINKED:
            line.role = "own"
    # Partners of any member of the linked group (immediately up- or downstream).
    shares: dict[frozenset, Decimal] = defaultdict(Decimal)
    via: dict[frozenset, list] = defaultdict(list)
    for edge in edges:
        if edge.kind != PARTNER:
            continue
        if edge.holder in linked and edge.held not in linked:
            other = edge.held
        elif edge.held in linked and edge.holder not in linked:
            other = edge.holder
        else:
            continue
        if not counts_as_partner(edge):
            note = "investor" if edge.investor_exception else "below"
            figures = accounts[other].figures if other in accounts else ZERO
            lines.append(Line("ignored", other, edge.share, figures, ZERO, note))
            continue
        partner_group = groups.get(other) or frozenset([other])
        shares[partner_group] += edge.share
        via[partner_group].append(other)
    for partner_group, share in shares.items():
        share = min(share, HUNDRED)
        figures, inner = _group_figures(partner_group, accounts, edges, order)
        first = sorted(via[partner_group], key=order)[0]
        members = (first, *sorted((e for e in partner_group if e != first), key=order))
        added = figures.scaled(share)
        note = "missing" if any(line.role == "missing" for line in inner) else ""
        lines.append(Line(PARTNER, first, share, figures, added, note, members))
        total = total + added
    return GroupResult(subject, linked, lines, total)
