"""The staff's filter for the mail list (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import catalogue, selectors
from .models import Mail


class MailFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Recipient"),
        method="filter_recipient",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("E-mail or name")}),
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=Mail.State.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=())
    scope = django_filters.ChoiceFilter(
        label=_("Forum / workshop"), choices=(), method="filter_scope"
    )
    contact = django_filters.NumberFilter(field_name="contact_id", widget=forms.HiddenInput)
    batch = django_filters.NumberFilter(field_name="batch_id", widget=forms.HiddenInput)

    class Meta:
        model = Mail
        fields = ["q", "state", "kind", "scope", "contact", "batch"]

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["kind"].extra["choices"] = [
            (kind, catalogue.kind_label(kind)) for kind in selectors.kinds(queryset)
        ]
        self.filters["scope"].extra["choices"] = selectors.scope_choices(queryset)

    def filter_recipient(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(recipient_email__icontains=value)
            | Q(contact__last_name__icontains=value)
            | Q(contact__first_name__icontains=value)
        )

    def filter_scope(self, queryset, name, value):
        condition = selectors.scope_q(value)
        return queryset.filter(condition) if condition is not None else queryset.none()
