"""The door: find a person, tap "Check in", see the counter move, ready for the next guest.

The list comes in parts ("Load more", htmx) and the search covers all registrations.
A check-in answers with the person's row and, out of band, the counter and an empty,
focused search field. Taking a check-in back is its own action, asked once more.
Check-in opens on the forum's day; staff may open it earlier by an explicit choice that
the page shows while it holds (`early=1`).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.roles import Role, role_required
from core.text import query_text

from . import selectors, services
from .models import Forum, Registration
from .permissions import managed_forum_or_404, managed_registration_or_404

staff_required = role_required(Role.CLUSTER_MANAGER)
PAGE_SIZE = 50


def _page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        return 1


def _door(forum: Forum, early: bool) -> dict:
    """What every row needs: whether check-in is open today or opened early."""
    day = timezone.localdate(forum.starts_at)
    return {
        "forum": forum,
        "early": early,
        "opens_on": day,
        "before_day": timezone.localdate() < day,
    }


def _registration(request, pk) -> Registration:
    return managed_registration_or_404(
        request.user, pk, Registration.objects.select_related("contact", "company", "forum")
    )


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@require_GET
@staff_required
def checkin(request, pk):
    forum = managed_forum_or_404(request.user, pk)
    q = query_text(request, "q")
    early = request.GET.get("early") == "1"
    page = _page_number(request)
    rows, more = selectors.checkin_page(forum, q=q, page=page, size=PAGE_SIZE)
    query = QueryDict(mutable=True)
    query.update({"q": q, "page": page + 1} | ({"early": "1"} if early else {}))
    context = _door(forum, early) | {
        "rows": rows,
        "more": more,
        "more_query": query.urlencode(),
        "q": q,
    }
    if _is_htmx(request):
        return render(request, "forums/staff/checkin_rows.html", context)
    context |= {"counts": selectors.checkin_counts(forum), "tab": "checkin"}
    return render(request, "forums/staff/checkin.html", context)


@require_POST
@staff_required
def checkin_toggle(request, pk):
    """attended=1 checks in; attended=0 (the answer to the undo question) takes it back."""
    registration = _registration(request, pk)
    attended = request.POST.get("attended", "1") == "1"
    early = request.POST.get("early") == "1"
    error = ""
    try:
        registration = services.registration_check_in(
            registration=registration, actor=request.user, attended=attended, early=early
        )
    except ValidationError as exc:
        error = " ".join(str(m) for m in exc.messages)
    forum = registration.forum
    if not _is_htmx(request):
        if error:
            messages.error(request, error)
        url = reverse("forums:staff_checkin", args=[forum.pk])
        return redirect(url + ("?early=1" if early else ""))
    # 200 also for a refusal: htmx swaps only successful answers, and the row says why.
    return render(
        request,
        "forums/staff/checkin_toggled.html",
        _door(forum, early)
        | {
            "row": registration,
            "error": error,
            "counts": selectors.checkin_counts(forum),
            "next_guest": attended and not error,
        },
    )


@require_GET
@staff_required
def checkin_undo(request, pk):
    """The question before a check-in is taken back: in the row (htmx) or as a page."""
    registration = _registration(request, pk)
    early = request.GET.get("early") == "1"
    context = _door(registration.forum, early) | {"row": registration, "confirm_undo": True}
    if _is_htmx(request):
        return render(request, "forums/staff/checkin_row.html", context)
    return render(request, "forums/staff/checkin_undo.html", context | {"tab": "checkin"})


@require_GET
@staff_required
def checkin_row(request, pk):
    """One row as it is ("No" to the undo question)."""
    registration = _registration(request, pk)
    early = request.GET.get("early") == "1"
    return render(
        request,
        "forums/staff/checkin_row.html",
        _door(registration.forum, early) | {"row": registration},
    )
