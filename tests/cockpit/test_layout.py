"""What to act on sits at the top of the cockpit, the charts below; a chart without data says
so instead of drawing an empty axis from 0 to 1.0."""

import json
import re

from cockpit import selectors
from cockpit.figures import label_dashboard


def _positions(html: str, *ids: str) -> list[int]:
    return [html.index(f'id="{element}"') for element in ids]


def test_actionable_figures_come_first(world_factory, client, cluster_manager, project_manager):
    world_factory(3)
    client.force_login(cluster_manager)
    html = client.get("/cockpit/?refresh=1").content.decode()
    upcoming, overdue, failed, relationships, sizes = _positions(
        html, "h-upcoming", "h-overdue", "h-failed", "h-relationships", "chart-sizes"
    )
    assert upcoming < overdue < failed < relationships < sizes
    client.force_login(project_manager)
    html = client.get("/cockpit/sefex/?refresh=1").content.decode()
    overdue, chart = _positions(html, "h-overdue", "chart-workshops-quarter")
    assert overdue < chart


def test_charts_without_data_are_marked_empty(db):
    charts = {c["id"]: c for c in label_dashboard(selectors.dashboard(None))["charts"]}
    assert charts["chart-funnel"]["empty"] is True
    assert charts["chart-funnel"]["empty_text"] == "Noch keine Daten."


def test_charts_with_data_are_drawn(world_factory, cm_client):
    world_factory(3)
    html = cm_client.get("/cockpit/?refresh=1").content.decode()
    data = re.search(r'<script id="cockpit-charts" type="application/json">(.*?)</script>', html)
    charts = {c["id"]: c for c in json.loads(data.group(1))}
    assert charts["chart-funnel"]["empty"] is False
    assert charts["chart-sectors"]["empty"] is False
