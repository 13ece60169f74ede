"""Forms of circulars: validation only, no side effects."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.clusters import managed_clusters

from .attachments import MAX_FILES, MAX_TOTAL_BYTES, check_uploads
from .models import Circular

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class MultiplePdfInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePdfField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePdfInput(attrs={"accept": ".pdf,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class CircularForm(forms.ModelForm):
    uploads = MultiplePdfField(
        label=_("Attach PDF files"),
        required=False,
        help_text=_("At most %(files)d PDF files, %(mb)d MB together.")
        % {"files": MAX_FILES, "mb": MAX_TOTAL_BYTES // (1024 * 1024)},
    )
    remove = forms.ModelMultipleChoiceField(
        label=_("Remove attachments"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Circular
        fields = ["cluster", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the clusters the manager manages (another cluster's id is an invalid choice).
        self.fields["cluster"].queryset = managed_clusters(user).order_by("name")
        attachments = self.instance.attachments.all() if self.instance.pk else None
        if attachments is None or not attachments:
            del self.fields["remove"]
        else:
            self.fields["remove"].queryset = attachments

    def clean(self):
        cleaned = super().clean()
        uploads = cleaned.get("uploads") or []
        kept = []
        if self.instance.pk:
            removed = {a.pk for a in cleaned.get("remove") or []}
            kept = [a.size for a in self.instance.attachments.all() if a.pk not in removed]
        try:
            check_uploads(uploads=uploads, kept_sizes=kept)
        except ValidationError as error:
            self.add_error("uploads", error)
        return cleaned


class SendForm(forms.Form):
    """When to send: now, or at a time (Europe/Berlin) in the future."""

    NOW, LATER = "now", "later"

    when = forms.ChoiceField(
        label=_("When"),
        choices=[(NOW, _("Send now")), (LATER, _("Send at a chosen time"))],
        widget=forms.RadioSelect,
        initial=NOW,
    )
    send_at = forms.DateTimeField(
        label=_("Time to send"),
        required=False,
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    expected = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") == self.LATER:
            send_at = cleaned.get("send_at")
            if send_at is None:
                self.add_error("send_at", _("Please enter the time to send."))
            elif send_at <= timezone.now():
                self.add_error("send_at", _("The time to send must be in the future."))
        else:
            cleaned["send_at"] = None
        return cleaned


class TestSendForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=[("de", _("German")), ("en", _("English"))], initial="de"
    )
