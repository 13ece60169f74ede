"""Filters of the API's lists that have no page filter to reuse (forums, registrations,
workshops). Companies and contacts use members.filters.CompanyFilter / ContactFilter.

A filter by a forum, contact or company accepts only what the requester may see: any other
id, existing or not, answers the same 400 "not a valid choice" (no oracle for which ids
exist at other companies).
"""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.models import Forum, Registration
from forums.permissions import forums_for
from members.models import Cluster, Company, Contact, Topic
from members.permissions import company_scope, contact_scope
from sefex.models import Workshop


def _visible_forums(request):
    if request is None:  # the schema is generated without a request
        return Forum.objects.none()
    return forums_for(request.user)


def _visible_contacts(request):
    return Contact.objects.none() if request is None else contact_scope(request.user)


def _visible_companies(request):
    return Company.objects.none() if request is None else company_scope(request.user)


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
    forum = django_filters.ModelChoiceFilter(label=_("Forum"), queryset=_visible_forums)
    contact = django_filters.ModelChoiceFilter(label=_("Contact"), queryset=_visible_contacts)
    state = django_filters.MultipleChoiceFilter(
        label=_("State"), choices=Registration.State.choices
    )

    class Meta:
        model = Registration
        fields = ["forum", "contact", "state"]


class WorkshopFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(label=_("State"), choices=Workshop.State.choices)
    company = django_filters.ModelChoiceFilter(label=_("Company"), queryset=_visible_companies)

    class Meta:
        model = Workshop
        fields = ["state", "company"]
