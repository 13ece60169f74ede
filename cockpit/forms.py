from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Cluster


class ClusterFilterForm(forms.Form):
    """The cluster every figure is narrowed to; empty means all clusters."""

    cluster = forms.ModelChoiceField(
        label=_("Cluster"),
        queryset=Cluster.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All clusters"),
        error_messages={
            "invalid_choice": _("This cluster does not exist; all clusters are shown.")
        },
    )


def cluster_from(request):
    """The chosen cluster (or None) and the bound form, whose errors the page shows."""
    form = ClusterFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["cluster"], form
    return None, form
