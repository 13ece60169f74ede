"""Cluster management: invite contacts to a forum, follow up, watch the send progress."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from metalldialog.roles import Role, role_required
from outbox import selectors as outbox_selectors

from . import invitations
from .models import Forum

staff_required = role_required(Role.CLUSTER_MANAGER)

# What the page starts with: contacts their company chose for invitations, not registered yet.
DEFAULTS = {"receives_invitations": "true", "audience": invitations.Audience.NOT_REGISTERED}


class AudienceForm(forms.Form):
    audience = forms.ChoiceField(
        label=gettext_lazy("Audience"),
        choices=invitations.Audience.CHOICES,
        required=False,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Mail"),
        choices=[(k, v) for k, v in invitations.KIND_LABELS.items()],
        required=False,
    )


def _forum(pk) -> Forum:
    return get_object_or_404(Forum.objects.select_related("cluster", "host_company"), pk=pk)


def _query(request) -> QueryDict:
    if request.GET:
        return request.GET
    data = QueryDict(mutable=True)
    data.update(DEFAULTS)
    return data


def _kind(data) -> str:
    kind = data.get("kind")
    return kind if kind in invitations.TEMPLATES else invitations.INVITATION


@require_GET
@staff_required
def invitations_page(request, pk):
    forum = _forum(pk)
    data = _query(request)
    kind = _kind(data)
    contact_filter, audience = invitations.audience_filter(forum, data)
    summary = invitations.audience_summary(forum, audience, kind)
    contact = invitations.preview_contact(forum, audience, kind)
    preview = invitations.invitation_preview(forum, contact, kind) if contact else None
    batches = [
        {"batch": batch, "progress": outbox_selectors.batch_progress(batch)}
        for batch in invitations.forum_batches(forum).order_by("-created_at")[:5]
    ]
    return render(
        request,
        "forums/invitations/page.html",
        {
            "forum": forum,
            "filter": contact_filter,
            "audience_form": AudienceForm(data),
            "kind": kind,
            "kind_label": invitations.KIND_LABELS[kind],
            "summary": summary,
            "preview_contact": contact,
            "preview": preview,
            "batches": batches,
            "query": data.urlencode(),
            "can_send": forum.state == Forum.State.PUBLISHED and forum.is_registration_open(),
            "tab": "invitations",
        },
    )


@require_POST
@staff_required
def invitations_send(request, pk):
    """Sends to the audience of the query string; the count the staff saw must still hold."""
    forum = _forum(pk)
    data = request.GET
    back = reverse("forums:staff_invitations", args=[forum.pk]) + "?" + data.urlencode()
    try:
        expected = int(request.POST.get("expected", ""))
    except ValueError:
        messages.error(request, _("Please check the audience and send again."))
        return redirect(back)
    kind = _kind(data)
    try:
        batch = invitations.invitation_send(
            forum=forum, data=data, kind=kind, actor=request.user, expected=expected
        )
    except ValidationError as error:
        messages.error(request, " ".join(str(m) for m in error.messages))
        return redirect(back)
    text = ngettext(
        "%(label)s is being sent to %(n)d contact.",
        "%(label)s is being sent to %(n)d contacts.",
        batch.planned,
    )
    messages.success(request, text % {"label": invitations.KIND_LABELS[kind], "n": batch.planned})
    return redirect(back)
