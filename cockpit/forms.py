from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from members.clusters import granted_cluster_ids, sees_every_cluster

from . import selectors


class ClusterFilterForm(forms.Form):
    """The cluster every figure is narrowed to; empty means all clusters.

    The choices are read once (one query) and serve both the select and the validation.
    """

    cluster = forms.ChoiceField(
        label=_("Cluster"),
        required=False,
        error_messages={
            "invalid_choice": _("This cluster does not exist; all clusters are shown.")
        },
    )

    def __init__(self, *args, clusters: list[dict], all_clusters: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.clusters = {row["slug"]: row for row in clusters}
        everything = [("", _("All clusters"))] if all_clusters else []
        self.fields["cluster"].choices = everything + [
            (row["slug"], row["name"]) for row in clusters
        ]
        self.fields["cluster"].required = not all_clusters


def cluster_from(request):
    """The chosen cluster (a dict with pk, slug, name, or None for all) and the bound form.

    A cluster manager bound to their clusters chooses among them only, the first by default;
    another cluster's figures answer 404 to them, as an unknown cluster does."""
    every = sees_every_cluster(request.user)
    rows = selectors.clusters()
    if not every:
        granted = granted_cluster_ids(request.user)
        rows = [row for row in rows if row["pk"] in granted]
        if not rows:
            raise PermissionDenied
    data = request.GET if request.GET.get("cluster") or every else None
    form = ClusterFilterForm(data, clusters=rows, all_clusters=every)
    if form.is_bound and form.is_valid() and form.cleaned_data["cluster"]:
        return form.clusters[form.cleaned_data["cluster"]], form
    if not every:
        if form.is_bound:  # a cluster not theirs
            raise Http404
        form = ClusterFilterForm(
            initial={"cluster": rows[0]["slug"]}, clusters=rows, all_clusters=False
        )
        return rows[0], form
    return None, form


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("Please enter a year such as 2025.")},
    )
