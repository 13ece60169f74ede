"""Filters of the API's lists that have no page filter to reuse (forums, registrations,
workshops). Companies and contacts use members.filters.CompanyFilter / ContactFilter."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.models import Forum, Registration
from members.models import Cluster, Company, Contact, Topic
from sefex.models import Workshop


class ForumFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=Forum.State.choices)
    cluster = django_filters.ModelChoiceFilter(label=_("Cluster"), queryset=Cluster.objects.all())
    # The forum list page filters by the topic's short name (?topic=industrie-40).
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        field_name="topics",
    )
    upcoming = django_filters.BooleanFilter(label=_("Not yet ended"), method="filter_upcoming")

    class Meta:
        model = Forum
        fields = ["state", "cluster", "topic", "upcoming"]

    def filter_upcoming(self, queryset, name, value):
        now = timezone.now()
        return queryset.filter(ends_at__gt=now) if value else queryset.filter(ends_at__lte=now)


class RegistrationFilter(django_filters.FilterSet):
    forum = django_filters.ModelChoiceFilter(label=_("Forum"), queryset=Forum.objects.all())
    contact = django_filters.ModelChoiceFilter(label=_("Contact"), queryset=Contact.objects.all())
    state = django_filters.MultipleChoiceFilter(
        label=_("State"), choices=Registration.State.choices
    )

    class Meta:
        model = Registration
        fields = ["forum", "contact", "state"]


class WorkshopFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(label=_("State"), choices=Workshop.State.choices)
    company = django_filters.ModelChoiceFilter(label=_("Company"), queryset=Company.objects.all())

    class Meta:
        model = Workshop
        fields = ["state", "company"]
