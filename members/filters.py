"""List filters (django-filter) for the directory and for picking contacts.

``CompanyFilter`` drives the member directory. ``ContactFilter`` applies the same
criteria to contacts; the forum invitation page reuses it to choose an audience.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Cluster, Company, Contact, Relationship, Sector, SmeClass, Topic


class QuickSelectMixin:
    """Renders a select's options in Python instead of one template include per option.

    The directory and contact list render several selects on every request; this is the
    same HTML at a fraction of the cost.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(v), " selected" if str(v) in chosen else "", label) for v, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


class QuickSelect(QuickSelectMixin, forms.Select):
    pass


class QuickSelectMultiple(QuickSelectMixin, forms.SelectMultiple):
    pass


class QuickNullBooleanSelect(QuickSelectMixin, forms.NullBooleanSelect):
    def format_value(self, value):
        return [super().format_value(value)]


def _ignore(queryset, name, value):
    """Cluster and relationship are applied together in ``filter_queryset``."""
    return queryset


class _MemberCriteria(django_filters.FilterSet):
    """Criteria on the company; subclasses say how their rows reach it."""

    company_ref = "pk"  # OuterRef to the company's id from a row of the queryset
    company_prefix = ""  # lookup prefix from a row to the company's fields

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, contact, city")}),
    )
    cluster = django_filters.ModelChoiceFilter(
        label=_("Cluster"), queryset=Cluster.objects.all(), method=_ignore
    )
    relationship = django_filters.ChoiceFilter(
        label=_("Relationship"), choices=Relationship.Kind.choices, method=_ignore
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), method="filter_sector"
    )
    sme_class = django_filters.MultipleChoiceFilter(
        label=_("SME class"), choices=SmeClass.choices, method="filter_sme_class"
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic interest"),
        queryset=Topic.objects.filter(is_active=True),
        method="filter_topic",
    )
    postcode = django_filters.CharFilter(
        label=_("Postcode area"),
        method="filter_postcode",
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 74 or 741"), "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Bootstrap classes on the widgets: the list pages render the fields plainly
        # (cheaper than a crispy layout on the busiest pages).
        cached = selectors.filter_choices()
        for name, field in self.form.fields.items():
            widget = field.widget
            if isinstance(widget, forms.Select):
                if isinstance(field, forms.ModelChoiceField):
                    # Cluster, sector and topic lists come from the cache; the field's own
                    # queryset still checks a submitted value.
                    widget.choices = [("", field.empty_label)] + (
                        cached[name]
                        if name in cached
                        else [(obj.pk, field.label_from_instance(obj)) for obj in field.queryset]
                    )
                if isinstance(widget, forms.NullBooleanSelect):
                    widget = QuickNullBooleanSelect(attrs=widget.attrs)
                elif isinstance(widget, forms.SelectMultiple):
                    widget = QuickSelectMultiple(attrs=widget.attrs, choices=widget.choices)
                else:
                    widget = QuickSelect(attrs=widget.attrs, choices=widget.choices)
                field.widget = widget
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def filter_search(self, queryset, name, value):
        return selectors.search_companies_or_contacts(
            queryset, value, company_ref=self.company_ref, prefix=self.company_prefix
        )

    def filter_sector(self, queryset, name, value):
        links = Company.sectors.through.objects.filter(
            company_id=OuterRef(self.company_ref), sector=value
        )
        return queryset.filter(Exists(links))

    def filter_sme_class(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(**{f"{self.company_prefix}sme_class__in": value})

    def filter_topic(self, queryset, name, value):
        raise NotImplementedError

    def filter_postcode(self, queryset, name, value):
        digits = "".join(ch for ch in value if ch.isdigit())
        if not digits:
            return queryset
        return queryset.filter(**{f"{self.company_prefix}postcode__startswith": digits})

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        cluster = self.form.cleaned_data.get("cluster")
        kind = self.form.cleaned_data.get("relationship")
        if cluster or kind:
            queryset = queryset.filter(
                selectors.relationship_exists(self.company_ref, cluster=cluster, kind=kind)
            )
        return queryset


class CompanyFilter(_MemberCriteria):
    production = django_filters.ChoiceFilter(
        label=_("Manufacturing"), choices=Company.Production.choices
    )

    class Meta:
        model = Company
        fields = ["q", "cluster", "relationship", "sector", "sme_class", "topic", "postcode"]

    def filter_topic(self, queryset, name, value):
        interested = Contact.objects.filter(company_id=OuterRef("pk"), topics=value)
        return queryset.filter(Exists(interested))


class ContactFilter(_MemberCriteria):
    """Contacts by their company's criteria, their own topic interest and invitation choice."""

    company_ref = "company_id"
    company_prefix = "company__"

    receives_invitations = django_filters.BooleanFilter(
        label=_("Receives forum invitations"), widget=forms.NullBooleanSelect
    )
    function = django_filters.ChoiceFilter(label=_("Function"), choices=Contact.Function.choices)
    language = django_filters.ChoiceFilter(label=_("Language"), choices=Contact.Language.choices)
    undeliverable = django_filters.BooleanFilter(
        label=_("Address undeliverable"),
        field_name="undeliverable_at",
        lookup_expr="isnull",
        exclude=True,
        widget=forms.NullBooleanSelect,
    )

    class Meta:
        model = Contact
        fields = [
            "q",
            "cluster",
            "relationship",
            "sector",
            "sme_class",
            "topic",
            "postcode",
            "receives_invitations",
            "function",
            "language",
            "undeliverable",
        ]

    def filter_topic(self, queryset, name, value):
        interested = Contact.topics.through.objects.filter(contact_id=OuterRef("pk"), topic=value)
        return queryset.filter(Exists(interested))
