"""Cluster management: invite contacts to a forum, follow up, watch the send progress.

The page shows who the filter selects, every reason a contact is left out with its count,
the recipients (a page at a time, and as CSV), and a preview of the mail; sending asks once
more ("N invitations now?") on a page of its own.
"""

import csv
import io

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from core.roles import Role, role_required
from outbox import selectors as outbox_selectors

from . import audience, invitations
from .models import Forum
from .permissions import managed_forum_or_404

staff_required = role_required(Role.CLUSTER_MANAGER)
RECIPIENTS_PER_PAGE = 25


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Mail"),
        choices=[(k, v) for k, v in invitations.KIND_LABELS.items()],
        required=False,
    )


def _forum(request, pk) -> Forum:
    return managed_forum_or_404(request.user, pk)


def _kind(data) -> str:
    kind = data.get("kind")
    return kind if kind in invitations.TEMPLATES else invitations.INVITATION


def _audience_query(data) -> str:
    """The query string of the audience (without the page number), for links and the send."""
    query = data.copy() if isinstance(data, QueryDict) else QueryDict(mutable=True)
    query.pop("page", None)
    return query.urlencode()


def _recipients_page(request, recipients, total: int):
    """One page of recipients; the total is known from the summary, so no second count."""
    paginator = Paginator(recipients, RECIPIENTS_PER_PAGE)
    paginator.count = total  # overrides the cached property: the summary counted already
    return paginator.get_page(request.GET.get("page"))


def _audience(forum: Forum, data) -> dict:
    kind = _kind(data)
    contact_filter, matching = audience.matching_contacts(data)
    return {
        "kind": kind,
        "kind_label": invitations.KIND_LABELS[kind],
        "filter": contact_filter,
        "matching": matching,
        "summary": audience.summary(forum, matching, kind),
        "query": _audience_query(data),
        "can_send": forum.state == Forum.State.PUBLISHED and forum.is_registration_open(),
    }


@require_GET
@staff_required
def invitations_page(request, pk):
    forum = _forum(request, pk)
    context = _audience(forum, request.GET)
    kind, summary = context["kind"], context["summary"]
    recipients = audience.recipients(forum, context["matching"], kind)
    page = _recipients_page(request, recipients, summary.to_send)
    page.object_list = list(page.object_list)
    contact = page.object_list[0] if page.object_list else None
    preview = invitations.invitation_preview(forum, contact, kind) if contact else None
    batches = outbox_selectors.batches_progress(
        list(audience.forum_batches(forum).select_related("created_by").order_by("-created_at")[:5])
    )
    return render(
        request,
        "forums/invitations/page.html",
        context
        | {
            "forum": forum,
            "kind_form": KindForm(request.GET),
            "recipients": page,
            "preview_contact": contact,
            "preview": preview,
            "batches": batches,
            "tab": "invitations",
        },
    )


@require_GET
@staff_required
def invitations_recipients_csv(request, pk):
    """Everyone the send would reach, for a look in a spreadsheet (semicolons, as Excel in
    Germany expects)."""
    forum = _forum(request, pk)
    kind = _kind(request.GET)
    _filter, matching = audience.matching_contacts(request.GET)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Company"), _("Last name"), _("First name"), _("E-mail"), _("Language")])
    rows = audience.recipients(forum, matching, kind).values_list(
        "company__legal_name", "last_name", "first_name", "email", "language"
    )
    for row in rows.iterator(chunk_size=2000):
        writer.writerow(row)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="empfaenger-{forum.pk}.csv"'
    return response


@require_GET
@staff_required
def invitations_confirm(request, pk):
    """The question before a mass send, with the count the send will check again."""
    forum = _forum(request, pk)
    context = _audience(forum, request.GET)
    return render(
        request,
        "forums/invitations/confirm.html",
        context | {"forum": forum, "tab": "invitations"},
    )


@require_POST
@staff_required
def invitations_send(request, pk):
    """Sends to the audience of the query string; the count the staff saw must still hold."""
    forum = _forum(request, pk)
    data = request.GET
    back = reverse("forums:staff_invitations", args=[forum.pk]) + "?" + _audience_query(data)
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
