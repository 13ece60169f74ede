from django import forms
from django.utils.translation import gettext_lazy as _

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

    def __init__(self, *args, clusters: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.clusters = {row["slug"]: row for row in clusters}
        self.fields["cluster"].choices = [("", _("All clusters"))] + [
            (row["slug"], row["name"]) for row in clusters
        ]


def cluster_from(request):
    """The chosen cluster (a dict with pk, slug, name, or None) and the bound form."""
    form = ClusterFilterForm(request.GET or None, clusters=selectors.clusters())
    if form.is_bound and form.is_valid() and form.cleaned_data["cluster"]:
        return form.clusters[form.cleaned_data["cluster"]], form
    return None, form


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("Please enter a year such as 2025.")},
    )
