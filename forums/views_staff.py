"""Cluster management pages: plan, publish, move and cancel forums; registrations, check-in,
participant list, exports, attendance and feedback."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.roles import Role, role_required
from core.text import query_text
from members.clusters import managed_clusters

from . import exports, selectors, services
from .forms import (
    CancelForumForm,
    ForumForm,
    RescheduleForm,
    StaffRegistrationForm,
    agenda_cleaned,
    agenda_formset,
    error_summary,
)
from .models import Forum, Registration
from .pdf import participants_pdf
from .permissions import managed_forum_or_404, managed_registration_or_404

staff_required = role_required(Role.CLUSTER_MANAGER)
REGISTRATIONS_PER_PAGE = 50


def _error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _forum(request, pk) -> Forum:
    return managed_forum_or_404(request.user, pk)


@staff_required
def staff_forum_list(request):
    state = request.GET.get("state", "")
    if state not in Forum.State.values:
        state = ""
    forums = list(selectors.staff_forums(request.user, state=state))
    for forum in forums:
        expected = forum.n_attended + forum.n_no_show
        forum.attendance_rate = round(100 * forum.n_attended / expected) if expected else None
    return render(
        request,
        "forums/staff/list.html",
        {"forums": forums, "state": state, "states": Forum.State.choices},
    )


def _forum_form_page(request, forum: Forum | None):
    form = ForumForm(request.POST or None, instance=forum, clusters=managed_clusters(request.user))
    agenda = agenda_formset(request.POST or None, forum)
    if request.method == "POST" and form.is_valid() and agenda.is_valid():
        fields = form.service_fields()
        topics = form.cleaned_data["topics"]
        try:
            if forum is None:
                forum = services.forum_create(
                    actor=request.user, topics=topics, agenda=agenda_cleaned(agenda), **fields
                )
                messages.success(request, _("The forum is saved as a draft."))
            else:
                forum = services.forum_update(
                    forum=forum,
                    actor=request.user,
                    topics=topics,
                    agenda=agenda_cleaned(agenda),
                    **fields,
                )
                informed = getattr(forum, "informed_of_changes", 0)
                messages.success(
                    request,
                    ngettext(
                        "The forum is saved. %(count)s person with a seat gets the changes "
                        "by e-mail, with an updated calendar entry.",
                        "The forum is saved. %(count)s people with a seat get the changes "
                        "by e-mail, with an updated calendar entry.",
                        informed,
                    )
                    % {"count": informed}
                    if informed
                    else _("The forum is saved."),
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("forums:staff_registrations", pk=forum.pk)
    return render(
        request,
        "forums/staff/form.html",
        {
            "form": form,
            "agenda": agenda,
            "forum": forum,
            "error_summary": error_summary(form, agenda, _("Agenda item")),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def forum_create(request):
    return _forum_form_page(request, None)


@staff_required
def forum_edit(request, pk):
    forum = _forum(request, pk)
    if forum.state in (Forum.State.CANCELLED, Forum.State.HELD):
        messages.error(request, _("A cancelled or held forum can no longer be changed."))
        return redirect("forums:staff_registrations", pk=forum.pk)
    return _forum_form_page(request, forum)


def _run(request, action, success: str):
    try:
        action()
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return False
    messages.success(request, success)
    return True


@require_POST
@staff_required
def forum_publish(request, pk):
    forum = _forum(request, pk)
    _run(
        request,
        lambda: services.forum_publish(forum=forum, actor=request.user),
        _("The forum is published."),
    )
    return redirect("forums:staff_registrations", pk=forum.pk)


@require_http_methods(["GET", "POST"])
@staff_required
def forum_close(request, pk):
    """Marks the forum as held after a question: no-shows are recorded, attendees asked."""
    forum = _forum(request, pk)
    if request.method == "POST":
        _run(
            request,
            lambda: services.forum_close(forum=forum, actor=request.user),
            _("The forum is marked as held; attendees are asked for feedback."),
        )
        return redirect("forums:staff_registrations", pk=forum.pk)
    by_state = selectors.forum_figures(forum)["by_state"]
    return render(
        request,
        "forums/confirm.html",
        {
            "forum": forum,
            "tab": "registrations",
            "question": _("Mark “%(forum)s” as held?") % {"forum": forum.title},
            "details": [
                _(
                    "Not checked in, recorded as no-shows: %(absent)s. Checked in, asked for "
                    "feedback by e-mail: %(present)s."
                )
                % {
                    "absent": by_state[Registration.State.CONFIRMED],
                    "present": by_state[Registration.State.ATTENDED],
                },
                _("This cannot be undone."),
            ],
            "confirm_label": _("Yes, mark as held"),
            "back_url": reverse("forums:staff_registrations", args=[forum.pk]),
        },
    )


@staff_required
def forum_cancel(request, pk):
    """The reason and the question in one page; the answer cancels and informs everyone."""
    forum = _forum(request, pk)
    form = CancelForumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            lambda: services.forum_cancel(
                forum=forum, actor=request.user, reason=form.cleaned_data["reason"]
            ),
            _("The forum is cancelled; everyone registered is informed."),
        )
        if done:
            return redirect("forums:staff_registrations", pk=forum.pk)
    by_state = selectors.forum_figures(forum)["by_state"]
    informed = sum(
        by_state[state]
        for state in (
            Registration.State.CONFIRMED,
            Registration.State.WAITLISTED,
            Registration.State.PENDING,
        )
    )
    return render(
        request,
        "forums/confirm.html",
        {
            "forum": forum,
            "tab": "registrations",
            "form": form,
            "question": _("Cancel “%(forum)s”?") % {"forum": forum.title},
            "details": [
                _(
                    "Registered, waiting or awaiting approval, informed by e-mail with a "
                    "calendar update: %(n)s."
                )
                % {"n": informed},
                _("A cancelled forum cannot be published again."),
            ],
            "confirm_label": _("Yes, cancel the forum"),
            "back_url": reverse("forums:staff_registrations", args=[forum.pk]),
        },
    )


@staff_required
def forum_reschedule(request, pk):
    forum = _forum(request, pk)
    initial = {
        "starts_at": timezone.localtime(forum.starts_at),
        "ends_at": timezone.localtime(forum.ends_at),
    }
    form = RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_reschedule(forum=forum, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The forum is moved; everyone registered is informed."))
            return redirect("forums:staff_registrations", pk=forum.pk)
    return render(
        request,
        "forums/staff/reschedule.html",
        {"forum": forum, "form": form},
        status=400 if form.errors else 200,
    )


@staff_required
def registrations(request, pk):
    """The registrations of a forum a page at a time; the search covers all of them and the
    exports (CSV, XLSX, PDF) always contain everyone."""
    forum = _forum(request, pk)
    q = query_text(request, "q")
    page = Paginator(selectors.forum_registrations(forum, q=q), REGISTRATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "forums/staff/registrations.html",
        {
            "forum": forum,
            "rows": page,
            "page": page,
            "q": q,
            "query": urlencode({"q": q}) if q else "",
            "figures": selectors.forum_figures(forum),
            "tab": "registrations",
        },
    )


@require_GET
@staff_required
def registration_add_form(request, pk):
    """The form to register a contact, loaded when asked for: its list holds every contact
    not registered yet (thousands at an agency), too much for each view of the list. In the
    page (htmx) or as a page of its own."""
    forum = _forum(request, pk)
    context = {"forum": forum, "form": StaffRegistrationForm(forum=forum)}
    if request.headers.get("HX-Request") == "true":
        return render(request, "forums/staff/_registration_add_form.html", context)
    return render(request, "forums/staff/registration_add.html", context | {"tab": "registrations"})


@require_POST
@staff_required
def registration_add(request, pk):
    forum = _forum(request, pk)
    form = StaffRegistrationForm(request.POST, forum=forum)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("forums:staff_registrations", pk=forum.pk)
    contact = form.cleaned_data["contact"]
    try:
        registration = services.registration_create(
            forum=forum,
            contact=contact,
            source=Registration.Source.STAFF,
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        level = {
            Registration.State.CONFIRMED: messages.SUCCESS,
            Registration.State.WAITLISTED: messages.WARNING,
        }.get(registration.state, messages.INFO)
        messages.add_message(
            request,
            level,
            _("%(name)s is added: %(state)s.")
            % {"name": contact.full_name, "state": registration.get_state_display()},
        )
    return redirect("forums:staff_registrations", pk=forum.pk)


REGISTRATION_ACTIONS = {
    "confirm": (services.registration_confirm, {}),
    "approve": (services.registration_approve, {}),
    # Declining a request withdraws it: the person gets the cancellation mail.
    "decline": (services.registration_cancel, {}),
    "waitlist": (services.registration_move_to_waitlist, {}),
    "cancel": (services.registration_cancel, {}),
    "up": (services.registration_waitlist_shift, {"up": True}),
    "down": (services.registration_waitlist_shift, {"up": False}),
}


@require_POST
@staff_required
def registration_action(request, pk, action):
    registration = managed_registration_or_404(
        request.user, pk, Registration.objects.select_related("contact")
    )
    if action not in REGISTRATION_ACTIONS:
        messages.error(request, _("Unknown action."))
        return redirect("forums:staff_registrations", pk=registration.forum_id)
    service, extra = REGISTRATION_ACTIONS[action]
    _run(
        request,
        lambda: service(registration=registration, actor=request.user, **extra),
        _("Done: %(name)s.") % {"name": registration.contact.full_name},
    )
    return redirect("forums:staff_registrations", pk=registration.forum_id)


@staff_required
def participants_list_pdf(request, pk):
    forum = _forum(request, pk)
    response = HttpResponse(
        participants_pdf(forum, request=request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="teilnehmerliste-{forum.pk}.pdf"'
    return response


@staff_required
def registrations_export(request, pk, fmt):
    forum = _forum(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "xlsx":
        content = exports.registrations_xlsx(forum)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = exports.registrations_csv(forum)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="anmeldungen-{forum.pk}.{fmt}"'
    return response


@staff_required
def feedback_results(request, pk):
    forum = _forum(request, pk)
    return render(
        request,
        "forums/staff/feedback.html",
        {"forum": forum, "results": selectors.feedback_results(forum)},
    )
