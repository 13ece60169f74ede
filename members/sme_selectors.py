"""Reads the SME figures and holdings of every enterprise connected to a company and computes,
per reference year, its group figures (members.sme_group), its size class and its SME class
after the two-period rule. A fixed number of queries, whatever the size of the group.

Enterprises of the directory are keyed by their company id; an enterprise named only on a
holding (with figures entered there) by ("holding", holding id).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from . import sme, sme_group
from .models import Company, SmeClass, SmeFigures, SmeHolding


@dataclass
class YearResult:
    year: int
    result: sme_group.GroupResult
    public_share: Decimal
    size_class: str
    sme_class: str = ""
    own: bool = True  # the company recorded figures for this year itself


@dataclass
class Explanation:
    company_id: int
    names: dict
    years: list = field(default_factory=list)  # YearResult, newest first

    def name(self, enterprise) -> str:
        return self.names.get(enterprise, "?")

    def year(self, fiscal_year: int) -> YearResult | None:
        return next((y for y in self.years if y.year == fiscal_year), None)


def _holding_rows():
    return list(
        SmeHolding.objects.values(
            "pk",
            "figures__company_id",
            "figures__fiscal_year",
            "kind",
            "direction",
            "share",
            "investor_exception",
            "other_company_id",
            "other_name",
            "staff_units",
            "turnover",
            "balance_sheet",
        )
    )


def connected_companies(company_ids, rows) -> set[int]:
    """Every directory company reachable through holdings of any year (either direction)."""
    neighbours = defaultdict(set)
    for row in rows:
        if row["other_company_id"]:
            neighbours[row["figures__company_id"]].add(row["other_company_id"])
            neighbours[row["other_company_id"]].add(row["figures__company_id"])
    seen, todo = set(company_ids), list(company_ids)
    while todo:
        for other in neighbours[todo.pop()]:
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _year_inputs(rows, figures_by_year, year):
    """(accounts, edges) of one reference year."""
    accounts = {
        company_id: sme_group.Accounts(
            sme.Figures(f["staff_units"], f["turnover"], f["balance_sheet"]), f["consolidated"]
        )
        for company_id, f in figures_by_year.get(year, {}).items()
    }
    edges = []
    for row in rows:
        if row["figures__fiscal_year"] != year:
            continue
        other = row["other_company_id"] or ("holding", row["pk"])
        # Figures entered on the holding stand in for an enterprise with none of its own.
        if other not in accounts and row["staff_units"] is not None:
            accounts[other] = sme_group.Accounts(
                sme.Figures(
                    row["staff_units"],
                    row["turnover"] or Decimal(0),
                    row["balance_sheet"] or Decimal(0),
                )
            )
        own = row["figures__company_id"]
        holds = row["direction"] == SmeHolding.Direction.HOLDS
        holder, held = (own, other) if holds else (other, own)
        edges.append(
            sme_group.Edge(holder, held, row["kind"], row["share"], row["investor_exception"])
        )
    return accounts, edges


def explain(company_ids) -> dict[int, Explanation]:
    """Per company: each reference year's group figures and classes. Three queries."""
    rows = _holding_rows()
    companies = connected_companies(company_ids, rows)
    rows = [r for r in rows if r["figures__company_id"] in companies]
    figures_by_year: dict[int, dict[int, dict]] = defaultdict(dict)
    for f in SmeFigures.objects.filter(company_id__in=companies).values(
        "company_id",
        "fiscal_year",
        "staff_units",
        "turnover",
        "balance_sheet",
        "public_share",
        "consolidated",
    ):
        figures_by_year[f["fiscal_year"]][f["company_id"]] = f
    names: dict = dict(Company.objects.filter(pk__in=companies).values_list("pk", "legal_name"))
    names.update({("holding", r["pk"]): r["other_name"] for r in rows})

    def order(enterprise):
        return (str(names.get(enterprise, "")).casefold(), str(enterprise))

    inputs = {year: _year_inputs(rows, figures_by_year, year) for year in figures_by_year}
    result = {}
    for company_id in company_ids:
        explanation = Explanation(company_id, names)
        sizes = []
        for year in sorted(inputs):
            accounts, edges = inputs[year]
            group = sme_group.aggregate_group(company_id, accounts, edges, order)
            members = [e for e in group.linked if e in figures_by_year[year]]
            if not members:
                continue
            public = max(figures_by_year[year][e]["public_share"] for e in members)
            size = sme.size_class(group.total, public)
            own = company_id in figures_by_year[year]
            explanation.years.append(YearResult(year, group, public, size, own=own))
            sizes.append((year, size))
        effective = sme.effective_classes(sizes)
        for year_result in explanation.years:
            year_result.sme_class = effective[year_result.year]
        explanation.years.reverse()
        result[company_id] = explanation
    return result


def sme_explanation(company: Company) -> Explanation:
    return explain([company.pk])[company.pk]


def current_class(explanation: Explanation) -> str:
    """The class of the newest year the company recorded itself ("" without figures)."""
    own = [y for y in explanation.years if y.own]
    return own[0].sme_class if own else ""


ROLE_LABELS = {
    "own": _("Own figures"),
    "linked": _("Linked enterprise, 100 percent (Art. 3(3), Art. 6(2))"),
    "consolidated": _("Consolidated accounts (Art. 6(2))"),
    "partner": _("Partner enterprise, pro rata with its linked enterprises (Art. 6(2)-(3))"),
    "missing": _("No figures for this fiscal year: not added"),
}
IGNORED_LABELS = {
    "below": _("Holding below 25 percent: not added (Art. 3(2))"),
    "investor": _("Investor named in Art. 3(2), up to 50 percent: not added"),
}


def _line_row(line, explanation: Explanation) -> dict:
    label = IGNORED_LABELS[line.note] if line.role == "ignored" else ROLE_LABELS[line.role]
    others = [explanation.name(e) for e in line.members if e != line.enterprise]
    return {
        "role": line.role,
        "label": label,
        "name": explanation.name(line.enterprise),
        "with": others,
        "share": line.share,
        "figures": line.figures,
        "added": line.added,
        "incomplete": line.note == "missing",
    }


def sme_table(company: Company) -> list[dict]:
    """Per fiscal year, newest first: how the company's class was reached (the lines of the
    company page and of the KMU-Erklärung)."""
    explanation = sme_explanation(company)
    classes = dict(SmeClass.choices)
    return [
        {
            "year": year.year,
            "own": year.own,
            "lines": [_line_row(line, explanation) for line in year.result.lines],
            "total": year.result.total,
            "public_share": year.public_share,
            "size_class": classes.get(year.size_class, ""),
            "sme_class": classes.get(year.sme_class, ""),
            "two_period": year.size_class != year.sme_class,
            "group": sorted(explanation.name(e) for e in year.result.linked if e != company.pk),
        }
        for year in explanation.years
    ]
