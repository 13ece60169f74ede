"""The dashboard's figures, labelled and rendered, cached for a minute.

The aggregations over all companies and registrations cost a few hundred milliseconds on a
large installation; a cluster manager reloading the start page does not need them newer than
a minute. So the rendered figures (not the page around them: navigation, filter form) are kept
in Redis per part, cluster and language; ``?refresh=1`` recomputes them at once.
"""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from members.models import Relationship, SmeClass
from outbox.catalogue import kind_label
from sefex.models import Workshop

from . import selectors

CACHE_SECONDS = 60


def _key(part: str, cluster) -> str:
    pk = selectors.cluster_pk(cluster)
    return f"cockpit:{part}:v3:{pk if pk is not None else 'all'}:{get_language()}"


def _rendered(part: str, cluster, request, *, fresh: bool, template: str, compute) -> dict:
    key = _key(part, cluster)
    body = None if fresh else cache.get(key)
    if body is None:
        html = render_to_string(template, compute(), request=request)
        body = {"html": str(html), "as_of": timezone.now()}
        cache.set(key, body, CACHE_SECONDS)
    return {"html": mark_safe(body["html"]), "as_of": body["as_of"]}  # noqa: S308 - our own render


def dashboard(cluster, request, *, fresh: bool = False) -> dict:
    """The cluster manager's figures as rendered HTML and the time they were computed."""
    return _rendered(
        "dashboard",
        cluster,
        request,
        fresh=fresh,
        template="cockpit/_dashboard_body.html",
        compute=lambda: label_dashboard(selectors.dashboard(cluster)),
    )


def sefex(cluster, request, *, fresh: bool = False) -> dict:
    return _rendered(
        "sefex",
        cluster,
        request,
        fresh=fresh,
        template="cockpit/_sefex_body.html",
        compute=lambda: label_sefex(selectors.sefex_figures(cluster, timezone.localdate())),
    )


def _chart(chart_id: str, kind: str, labels: list, datasets: list[tuple], **options) -> dict:
    """What static/cockpit/charts.js needs to draw one chart."""
    datasets = [
        {"label": str(item[0]), "data": list(item[1]), **(item[2] if len(item) > 2 else {})}
        for item in datasets
    ]
    return {
        "id": chart_id,
        "type": kind,
        "labels": [str(label) for label in labels],
        "datasets": datasets,
        "options": options,
        # Nothing to draw: the page says so instead of an empty axis from 0 to 1.0.
        "empty": not any(value for dataset in datasets for value in dataset["data"]),
        "empty_text": str(_("No data yet.")),
    }


def label_sefex(figures: dict) -> dict:
    states = dict(Workshop.State.choices)
    by_state = [
        {"label": states.get(row["state"], row["state"]), **row}
        for row in figures["workshops_by_state"]
    ]
    quarters = figures["workshops_by_quarter"]
    charts = [
        _chart(
            "chart-workshops-quarter",
            "bar",
            [q["label"] for q in quarters],
            [
                (_("Held"), [q["held"] for q in quarters]),
                (_("Planned"), [q["planned"] for q in quarters], {"type": "line"}),
            ],
        )
    ]
    return {**figures, "workshops_by_state": by_state, "sefex_charts": charts}


def label_dashboard(figures: dict) -> dict:
    kinds = dict(Relationship.Kind.choices)
    sizes = dict(SmeClass.choices)
    relationships = [
        {**row, "label": kinds.get(row["kind"], row["kind"])} for row in figures["relationships"]
    ]
    size_rows = [
        {**row, "label": sizes.get(row["sme_class"]) or _("No figures recorded")}
        for row in figures["sizes"]
    ]
    trend = figures["trend"]
    funnel = figures["funnel_forums"]
    sector_funnel = figures["funnel_sectors"]
    failed = figures["failed_mails"]
    failed_rows = [{**row, "kind_label": kind_label(row["kind"])} for row in failed["rows"]]
    funnel_sets = [
        (_("Invited"), "invited"),
        (_("Registered"), "registered"),
        (_("Attended"), "attended"),
    ]
    charts = [
        _chart(
            "chart-sizes",
            "doughnut",
            [row["label"] for row in size_rows],
            [(_("Companies"), [row["companies"] for row in size_rows])],
        ),
        _chart(
            "chart-sectors",
            "bar",
            [row["name"] for row in figures["sectors"]],
            [(_("Companies"), [row["companies"] for row in figures["sectors"]])],
            indexAxis="y",
        ),
        _chart(
            "chart-trend",
            "bar",
            [row["month"].strftime("%m/%Y") for row in trend],
            [
                (_("Joined"), [row["joins"] for row in trend]),
                (_("Left"), [-row["leaves"] for row in trend]),
            ],
        ),
        _chart(
            "chart-funnel",
            "bar",
            [row["title"] for row in reversed(funnel)],
            [(label, [row[key] for row in reversed(funnel)]) for label, key in funnel_sets],
        ),
        _chart(
            "chart-funnel-sectors",
            "bar",
            [row["name"] for row in sector_funnel],
            [(label, [row[key] for row in sector_funnel]) for label, key in funnel_sets],
            indexAxis="y",
        ),
    ]
    sefex_part = label_sefex(figures)
    return {
        **sefex_part,
        "relationships": relationships,
        "sizes": size_rows,
        "failed_mails": {"rows": failed_rows, "total": failed["total"]},
        "charts": charts + sefex_part["sefex_charts"],
    }
