"""Filters of the audit trail page (django-filter)."""

from datetime import datetime, time, timedelta
from pathlib import Path

import django_filters
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .actions import action_choices
from .models import AuditEvent


def object_type_choices() -> list[tuple[int, str]]:
    """The project's own models (not libraries' nor the history copies), by name. One query."""
    project = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and "site-packages" not in Path(config.path).parts
    }
    labelled = [(t.pk, t.model_class()) for t in ContentType.objects.filter(app_label__in=project)]
    return sorted(
        (
            (pk, str(model._meta.verbose_name))
            for pk, model in labelled
            if model is not None and not model.__name__.startswith("Historical")
        ),
        key=lambda choice: choice[1].lower(),
    )


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class AuditEventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Object or reason")}),
    )
    actor = django_filters.CharFilter(
        label=_("Who"),
        method="filter_actor",
        widget=forms.TextInput(attrs={"placeholder": _("Name or e-mail")}),
    )
    action = django_filters.ChoiceFilter(
        label=pgettext_lazy("audit", "Action"), choices=action_choices
    )
    content_type = django_filters.ChoiceFilter(
        label=_("Object type"), choices=object_type_choices, field_name="content_type_id"
    )
    object_id = django_filters.CharFilter(widget=forms.HiddenInput)
    date_from = django_filters.DateFilter(
        label=_("From"),
        method="filter_date_from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = django_filters.DateFilter(
        label=_("Until"),
        method="filter_date_to",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = AuditEvent
        fields = ["q", "actor", "action", "content_type", "object_id", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def filter_search(self, queryset, name, value):
        for term in value.split():
            queryset = queryset.filter(Q(object_repr__icontains=term) | Q(reason__icontains=term))
        return queryset

    def filter_actor(self, queryset, name, value):
        for term in value.split():
            queryset = queryset.filter(
                Q(actor__email__icontains=term)
                | Q(actor__first_name__icontains=term)
                | Q(actor__last_name__icontains=term)
            )
        return queryset

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(at__gte=_day_start(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(at__lt=_day_start(value + timedelta(days=1)))
