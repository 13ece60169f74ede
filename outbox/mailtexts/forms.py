"""The editor's form: the three parts of a mail text. Checks live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MailTextForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)
    body_markdown = forms.CharField(
        label=_("Mail text (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace"}),
        help_text=_(
            "Markdown: **bold**, *italic*, lists with “- ”, links as [text](address). "
            "Header, sender and unsubscribe link are added automatically."
        ),
    )
    text = forms.CharField(
        label=_("Text version"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "font-monospace"}),
        help_text=_("For mail programs without HTML. Left empty, the Markdown text is used."),
    )

    def draft(self) -> dict:
        data = self.cleaned_data
        return {k: data.get(k, "") or "" for k in ("subject", "text", "body_markdown")}
