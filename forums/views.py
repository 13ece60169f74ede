"""Member pages: upcoming forums, own registrations, calendar files, and the token links that
work without logging in (the forum page and registering from it: views_register)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.roles import Role, has_role, role_required
from core.text import query_text
from members.clusters import in_managed_clusters
from members.models import Contact

from . import attendees, selectors, services
from .forms import FeedbackForm
from .ics import forum_ics, forums_feed_ics
from .models import Forum, Registration
from .outcomes import add_registration_outcome
from .permissions import (
    forum_get_for_user_or_404,
    is_forum_staff,
    registration_get_for_user_or_404,
)
from .tokens import TokenError, read_feedback_token, read_registration_token
from .views_register import VIEWERS, error_text


def _company(user):
    return user.company if has_role(user, Role.COMPANY_USER) and user.company_id else None


@role_required(*VIEWERS)
def forum_list(request):
    topic = query_text(request, "topic")
    within = in_managed_clusters(request.user) if is_forum_staff(request.user) else None
    forums = list(
        selectors.forums_upcoming(topic=topic, company=_company(request.user), within=within)
    )
    for forum in forums:
        forum.seats_left = selectors.seats_left(forum)
    return render(
        request,
        "forums/list.html",
        {"forums": forums, "topics": selectors.topics_in_use(), "topic": topic},
    )


@role_required(Role.COMPANY_USER)
def my_registrations(request):
    registrations = list(selectors.company_registrations(request.user.company))
    return render(request, "forums/my_registrations.html", {"registrations": registrations})


def _next_url(request, default: str) -> str:
    """Where to go back to: a path of this site from `next`, else `default`."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts=None) and next_url.startswith("/"):
        return next_url
    return default


@require_http_methods(["GET", "POST"])
@role_required(Role.COMPANY_USER, Role.CLUSTER_MANAGER)
def registration_cancel(request, pk):
    """Asks first (GET), cancels on the answer (POST); the seat goes to the waiting list."""
    registration = registration_get_for_user_or_404(request.user, pk)
    back = _next_url(request, reverse("forums:my_registrations"))
    if request.method == "GET":
        if registration.state == Registration.State.CANCELLED:
            messages.info(request, _("This registration is already cancelled."))
            return redirect(back)
        return render(
            request,
            "forums/confirm.html",
            {
                "question": _("Cancel the registration of %(name)s for “%(forum)s”?")
                % {"name": registration.contact.full_name, "forum": registration.forum.title},
                "details": [
                    _("A seat that is freed goes to the next person on the waiting list."),
                    _("%(name)s gets a confirmation of the cancellation by e-mail.")
                    % {"name": registration.contact.full_name},
                ],
                "confirm_label": _("Yes, cancel the registration"),
                "hidden": {"next": back},
                "back_url": back,
            },
        )
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("The registration of %(name)s is cancelled.")
            % {"name": registration.contact.full_name},
        )
    return redirect(back)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@role_required(*VIEWERS)
def forum_calendar(request, pk):
    forum = forum_get_for_user_or_404(request.user, pk)
    return _ics_response(forum_ics(forum, "PUBLISH"), f"metallforum-{forum.pk}.ics")


@require_GET
def forum_feed(request):
    """A calendar to subscribe to: announced forums only, no personal data, no login."""
    content = forums_feed_ics(selectors.forums_feed(), name="MetallDIALOG – Metall-Foren")
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "public, max-age=900"
    return response


# --- token links (no login) ----------------------------------------------------------------


def _token_error(request, error: TokenError):
    return render(request, "forums/token_error.html", {"message": error.message}, status=400)


@never_cache
def token_registration(request, token):
    """The personal invitation link: register, or see and cancel one's registration."""
    try:
        data = read_registration_token(token)
    except TokenError as error:
        return _token_error(request, error)
    contact = get_object_or_404(Contact.objects.select_related("company"), pk=data.contact_id)
    forum = get_object_or_404(Forum, pk=data.forum_id)
    if forum.state == Forum.State.DRAFT:
        raise Http404
    error_message = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "register":
                registration = services.registration_create(
                    forum=forum, contact=contact, source=Registration.Source.INVITATION
                )
                attendees.listing_from_post(request.POST, [registration], contact_id=contact.pk)
                add_registration_outcome(request, registration)
                return redirect("forums:token", token=token)
            if action in ("list", "unlist"):  # the attendee list (forums.attendees)
                registration = get_object_or_404(
                    Registration,
                    forum=forum,
                    contact=contact,
                    state__in=Registration.ACTIVE_STATES,
                )
                attendees.listing_set(registration=registration, listed=action == "list")
                return redirect("forums:token", token=token)
            if action == "cancel":
                registration = get_object_or_404(
                    Registration,
                    forum=forum,
                    contact=contact,
                    state__in=Registration.ACTIVE_STATES,
                )
                services.registration_cancel(registration=registration)
                messages.success(request, _("Your registration is cancelled."))
                return redirect("forums:token", token=token)
        except ValidationError as error:
            error_message = error_text(error)
    registration = (
        Registration.objects.filter(forum=forum, contact=contact)
        .exclude(state=Registration.State.CANCELLED)
        .first()
    )
    return render(
        request,
        "forums/token.html",
        {
            "forum": forum,
            "contact": contact,
            "registration": registration,
            # "Cancel" asks first: the link shows the question, its form does it.
            "confirm_cancel": request.GET.get("confirm") == "cancel"
            and registration is not None
            and registration.can_cancel(),
            "error_message": error_message,
            "registration_open": forum.is_registration_open(),
            "seats_left": selectors.seats_left(forum),
            "company_seats": selectors.company_seats_taken(forum, contact.company_id),
        },
        status=400 if error_message else 200,
    )


@never_cache
def feedback(request, token):
    try:
        data = read_feedback_token(token)
    except TokenError as error:
        return _token_error(request, error)
    registration = (
        Registration.objects.select_related("forum", "contact")
        .filter(forum_id=data.forum_id, contact_id=data.contact_id)
        .order_by("-pk")
        .first()
    )
    if registration is None:
        raise Http404
    existing = getattr(registration, "feedback", None)
    form = FeedbackForm(request.POST or None)
    error_message = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(
                registration=registration,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            error_message = error_text(error)
        else:
            return render(request, "forums/feedback_thanks.html", {"forum": registration.forum})
    return render(
        request,
        "forums/feedback.html",
        {
            "form": form,
            "forum": registration.forum,
            "registration": registration,
            "existing": existing,
            "error_message": error_message,
        },
        status=400 if error_message or form.errors else 200,
    )
