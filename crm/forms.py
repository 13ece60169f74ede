"""The activity form with an optional follow-up task; validation only."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from members.clusters import managed_clusters, sees_every_cluster
from members.models import Cluster, Company, Contact, User

from .models import Activity


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def staff_logins():
    """Active logins of the cluster team: who a task may be assigned to."""
    return (
        User.objects.filter(
            is_active=True,
            company__isnull=True,
            groups__name__in=[Role.CLUSTER_MANAGER.value, Role.PROJECT_MANAGER.value],
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class ActivityForm(forms.Form):
    cluster = forms.ModelChoiceField(
        label=_("Cluster"),
        queryset=Cluster.objects.none(),
        required=False,
        empty_label=_("Agency-wide (no cluster)"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DateInput)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    contacts = forms.ModelMultipleChoiceField(
        label=_("Contacts involved"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    task_title = forms.CharField(label=_("Follow-up task"), max_length=200, required=False)
    task_due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput)
    task_assignee = StaffChoiceField(
        label=_("Assigned to"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, company: Company, actor: User, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("happened_on", timezone.localdate())
        kwargs["initial"].setdefault("task_assignee", actor.pk)
        super().__init__(*args, **kwargs)
        # A cluster manager records for one of their clusters; agency-wide staff may leave it.
        clusters = managed_clusters(actor)
        self.fields["cluster"].queryset = clusters
        if not sees_every_cluster(actor):
            self.fields["cluster"].required = True
            self.fields["cluster"].empty_label = None
        self.fields["contacts"].queryset = Contact.objects.filter(company=company).order_by(
            "last_name", "first_name"
        )
        self.fields["contacts"].label_from_instance = lambda contact: contact.full_name
        self.fields["task_assignee"].queryset = staff_logins()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("cluster"), Column("kind"), Column("happened_on")),
            "topic",
            "text",
            "contacts",
            Fieldset(
                _("Follow-up (optional)"),
                "task_title",
                Row(Column("task_due_on"), Column("task_assignee")),
            ),
            Submit("save", _("Save activity")),
        )

    def clean(self):
        data = super().clean()
        title, due_on = data.get("task_title"), data.get("task_due_on")
        if title and not due_on and "task_due_on" not in self.errors:
            self.add_error("task_due_on", _("Please enter when the follow-up is due."))
        if due_on and not title:
            self.add_error("task_title", _("Please describe the follow-up task."))
        if title and not data.get("task_assignee") and "task_assignee" not in self.errors:
            self.add_error("task_assignee", _("Please choose who follows up."))
        return data

    def follow_up(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("task_title"):
            return None
        return {
            "title": data["task_title"],
            "due_on": data["task_due_on"],
            "assignee": data["task_assignee"],
        }
