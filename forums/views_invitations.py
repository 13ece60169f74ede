"""Cluster management: invite contacts to a forum, follow up, watch the send progress.

The page shows who the filter selects, every reason a contact is left out with its count,
the recipients (a page at a time, and as CSV), and a preview of the mail; sending asks once
more ("N invitations now?") on a page of its own.
"""

import csv
import io
from datetime import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.roles import Role, role_required
from outbox import selectors as outbox_selectors

from . import audience, audience_cache, invitations
from .models import Forum
from .permissions import managed_forum_or_404

staff_required = role_required(Role.CLUSTER_MANAGER)
RECIPIENTS_PER_PAGE = 25


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Mail"),
        choices=[(k, v) for k, v in invitations.KIND_LABELS.items()],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
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


def _page_number(paginator: Paginator, number) -> int:
    """As Paginator.get_page: the first page for nonsense, the last one for too far."""
    try:
        return paginator.validate_number(number)
    except PageNotAnInteger:
        return 1
    except EmptyPage:
        return paginator.num_pages


def _recipients_page(request, forum: Forum, context: dict) -> Page:
    """One page of recipients; the total is known from the summary, so no second count."""
    paginator = Paginator((), RECIPIENTS_PER_PAGE)
    paginator.count = context["summary"].to_send  # overrides the cached property
    number = _page_number(paginator, request.GET.get("page"))
    start = (number - 1) * RECIPIENTS_PER_PAGE
    recipients = audience.recipients(forum, context["matching"], context["kind"])
    return Page(list(recipients[start : start + RECIPIENTS_PER_PAGE]), number, paginator)


def _audience(forum: Forum, data) -> dict:
    kind = _kind(data)
    contact_filter, matching = audience.matching_contacts(data)
    query = _audience_query(data)
    counts = audience_cache.cached(
        forum, kind, query, "summary", lambda: audience.summary_counts(forum, matching, kind)
    )
    return {
        "kind": kind,
        "kind_label": invitations.KIND_LABELS[kind],
        "filter": contact_filter,
        "matching": matching,
        "summary": audience.summary(forum, matching, kind, counts=counts),
        "query": query,
        "can_send": forum.state == Forum.State.PUBLISHED and forum.is_registration_open(),
    }


def _batches(forum: Forum) -> list[dict]:
    """The forum's last sends with their progress."""
    return outbox_selectors.batches_progress(
        list(audience.forum_batches(forum).select_related("created_by").order_by("-created_at")[:5])
    )


def _panel(request, forum: Forum) -> str:
    """The audience's counts, a page of recipients, the preview and the sends, as HTML."""
    context = _audience(forum, request.GET)
    page = _recipients_page(request, forum, context)
    contact = page.object_list[0] if page.object_list else None
    preview = invitations.invitation_preview(forum, contact, context["kind"]) if contact else None
    return render_to_string(
        "forums/invitations/_panel.html",
        context
        | {
            "forum": forum,
            "recipients": page,
            "preview_contact": contact,
            "preview": preview,
            "batches": _batches(forum),
        },
    )


def _next_deadline(forum: Forum, now) -> datetime | None:
    """The next moment the page changes by time alone: registration opens or closes, the
    forum ends."""
    moments = [forum.registration_opens_at, forum.effective_closes_at, forum.ends_at]
    return min((m for m in moments if m and m > now), default=None)


def _page_content(request, forum: Forum) -> audience_cache.Kept[dict]:
    contact_filter = audience.contact_filter(request.GET)
    html = render_to_string(
        "forums/invitations/_content.html",
        {
            "forum": forum,
            "filter": contact_filter,
            "forms": [KindForm(request.GET), contact_filter.form],
            "panel": _panel(request, forum),
            "tab": "invitations",
        },
        request=request,
    )
    return audience_cache.Kept(
        {"title": forum.title, "html": html},
        # A draft's page holds a form with this session's CSRF token.
        shareable=forum.state != Forum.State.DRAFT,
        until=_next_deadline(forum, timezone.now()),
    )


@require_GET
@staff_required
def invitations_page(request, pk):
    """All but the layout from the cache, as long as no row it shows has changed: a page
    view then costs two queries (the forum, within the manager's clusters, and the rows'
    fingerprint) and one cache read, whatever the number of contacts."""
    forum = _forum(request, pk)  # before the cache: another cluster's forum answers 404
    variant = f"page:{request.GET.urlencode()}:{get_language()}"
    content = audience_cache.cached_until(forum.pk, variant, lambda: _page_content(request, forum))
    return render(
        request,
        "forums/invitations/page.html",
        {
            "title": content["title"],
            "content": mark_safe(content["html"]),  # noqa: S308 - our template's output
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
