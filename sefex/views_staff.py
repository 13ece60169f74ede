"""Project management pages: request queue, workshops, calendar, scheduling, minutes,
availability. Cluster managers may look (queue, list, calendar, workshop page), not change."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.roles import Role, role_required
from core.uploads import upload_limit

from . import selectors, services, uploads
from .forms import (
    ActionItemForm,
    AssessmentForm,
    AttachmentForm,
    AvailabilityExceptionForm,
    AvailabilityRuleForm,
    CancelForm,
    MinutesForm,
    ProposeForm,
    ScheduleForm,
    StaffRequestForm,
    WorkshopDetailsForm,
)
from .models import ActionItem, MaturityAssessment, Workshop
from .permissions import (
    attachment_get_for_user_or_404,
    availability_exception_get_for_user_or_404,
    availability_rule_get_for_user_or_404,
)
from .views import error_text

viewer_required = role_required(Role.PROJECT_MANAGER, Role.CLUSTER_MANAGER)
manager_required = role_required(Role.PROJECT_MANAGER)


def _workshop(pk) -> Workshop:
    return get_object_or_404(
        Workshop.objects.select_related("company", "module", "programme"), pk=pk
    )


def _form_page(request, form, workshop, title, *, multipart=False, extra=None):
    return render(
        request,
        "sefex/staff/form.html",
        {
            "form": form,
            "workshop": workshop,
            "title": title,
            "multipart": multipart,
            **(extra or {}),
        },
    )


@viewer_required
@require_GET
def queue(request):
    return render(
        request,
        "sefex/staff/queue.html",
        {
            "workshops": list(selectors.request_queue()),
            "programmes": list(selectors.programme_figures()),
        },
    )


@viewer_required
@require_GET
def workshop_list(request):
    state = request.GET.get("state", "")
    if state not in Workshop.State.values:
        state = ""
    return render(
        request,
        "sefex/staff/list.html",
        {
            "workshops": list(selectors.workshops(state=state)[:500]),
            "state": state,
            "states": Workshop.State.choices,
        },
    )


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return timezone.localdate()


@viewer_required
@require_GET
def calendar(request):
    view = "month" if request.GET.get("view") == "month" else "week"
    day = _parse_day(request.GET.get("date", ""))
    mine = request.GET.get("mine") == "1"
    start, end = selectors.calendar_range(view, day)
    days = selectors.calendar_days(start=start, end=end, manager=request.user if mine else None)
    if view == "month":
        first = day.replace(day=1)
        previous = (first - timedelta(days=1)).replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
    else:
        previous, following = day - timedelta(days=7), day + timedelta(days=7)
    return render(
        request,
        "sefex/staff/calendar.html",
        {
            "view": view,
            "day": day,
            "days": days,
            "mine": mine,
            "weeks": [days[i : i + 7] for i in range(0, len(days), 7)],
            "previous": previous,
            "following": following,
            "month": day.replace(day=1),
        },
    )


@manager_required
def workshop_create(request):
    form = StaffRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            workshop = services.workshop_request(
                actor=request.user,
                company=data["company"],
                module=data["module"],
                preferred_from=data["preferred_from"],
                preferred_until=data["preferred_until"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            return redirect("sefex:detail", pk=workshop.pk)
    return _form_page(request, form, None, _("New workshop request"))


@manager_required
def propose(request, pk):
    workshop = _workshop(pk)
    manager = workshop.project_manager or request.user
    window = selectors.proposal_window(workshop)
    free = selectors.free_slots_for(workshop, manager=manager)
    initial = {"project_manager": manager, "duration_hours": workshop.duration_hours}
    form = ProposeForm(request.POST or None, workshop=workshop, free_slots=free, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.slots_propose(
                workshop=workshop,
                actor=request.user,
                project_manager=form.cleaned_data["project_manager"],
                starts=form.starts(),
                duration_hours=form.cleaned_data["duration_hours"],
                invite=list(form.cleaned_data["invite"]),
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The appointments have been proposed."))
            return redirect("sefex:detail", pk=workshop.pk)
    return _form_page(
        request,
        form,
        workshop,
        _("Propose appointments"),
        extra={
            "window": window,
            "free_slots": free,
            "submit": _("Propose these appointments"),
            "scripts": ["sefex/slots.js"],
        },
    )


@manager_required
def schedule(request, pk):
    workshop = _workshop(pk)
    form = ScheduleForm(
        request.POST or None,
        initial={
            "project_manager": workshop.project_manager or request.user,
            "duration_hours": workshop.duration_hours,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_schedule(
                workshop=workshop,
                actor=request.user,
                project_manager=form.cleaned_data["project_manager"],
                starts_at=form.cleaned_data["starts_at"],
                duration_hours=form.cleaned_data["duration_hours"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The workshop is booked. Confirmations are on their way."))
            return redirect("sefex:detail", pk=workshop.pk)
    return _form_page(request, form, workshop, _("Book an appointment"))


@manager_required
def reschedule(request, pk):
    workshop = _workshop(pk)
    form = ScheduleForm(
        request.POST or None,
        with_manager=False,
        initial={
            "starts_at": timezone.localtime(workshop.starts_at) if workshop.starts_at else None,
            "duration_hours": workshop.duration_hours,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_reschedule(
                workshop=workshop,
                actor=request.user,
                starts_at=form.cleaned_data["starts_at"],
                duration_hours=form.cleaned_data["duration_hours"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The workshop has been moved. Participants are informed."))
            return redirect("sefex:detail", pk=workshop.pk)
    return _form_page(request, form, workshop, _("Move the workshop"))


@manager_required
def cancel(request, pk):
    workshop = _workshop(pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_cancel(
                workshop=workshop, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The workshop has been cancelled."))
            return redirect("sefex:detail", pk=workshop.pk)
    return _form_page(request, form, workshop, _("Cancel the workshop"))


TRANSITIONS = {
    "held": (
        services.workshop_mark_held,
        _("Marked as held. The participants are asked for feedback."),
    ),
    "closed": (services.workshop_close, _("The workshop is closed.")),
}


@require_POST
@manager_required
def transition(request, pk, action):
    if action not in TRANSITIONS:
        raise Http404
    func, done = TRANSITIONS[action]
    workshop = _workshop(pk)
    try:
        func(workshop=workshop, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, done)
    return redirect("sefex:detail", pk=workshop.pk)


@manager_required
def release(request, pk):
    """Releasing the minutes shows the company findings, action items and assessment for good:
    the page says what will be shown and asks before it is done."""
    workshop = get_object_or_404(selectors.workshop_detail(pk))
    if request.method == "POST":
        try:
            services.workshop_document(workshop=workshop, actor=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The minutes are released to the company."))
            return redirect("sefex:detail", pk=workshop.pk)
        workshop = selectors.workshop_detail(pk).get()
    return render(
        request,
        "sefex/staff/release.html",
        {
            "workshop": workshop,
            "recorded": services.minutes_recorded(workshop),
            "releasable": workshop.state == Workshop.State.HELD,
        },
    )


@manager_required
def details(request, pk):
    workshop = _workshop(pk)
    form = WorkshopDetailsForm(request.POST or None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.workshop_update(
                workshop=workshop,
                actor=request.user,
                place=data["place"],
                place_detail=data["place_detail"],
                online_url=data["online_url"],
                participants=list(data["participants"]),
                consultants=list(data["consultants"]),
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            return redirect("sefex:detail", pk=workshop.pk)
    return _form_page(request, form, workshop, _("Place and participants"))


@manager_required
def minutes(request, pk):
    workshop = _workshop(pk)
    form = MinutesForm(request.POST or None, workshop=workshop)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_save(
                workshop=workshop,
                actor=request.user,
                agenda=form.cleaned_data["agenda"],
                summary=form.cleaned_data["summary"],
                findings=form.findings(),
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The minutes have been saved."))
            return redirect("sefex:detail", pk=workshop.pk)
    return _form_page(request, form, workshop, _("Minutes"))


@manager_required
def action_item_edit(request, pk, item_pk=None):
    workshop = _workshop(pk)
    item = get_object_or_404(ActionItem, pk=item_pk, workshop=workshop) if item_pk else None
    form = ActionItemForm(request.POST or None, instance=item, workshop=workshop)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if item is None:
                services.action_item_create(
                    workshop=workshop,
                    actor=request.user,
                    title=data["title"],
                    owner=data["owner"],
                    due_on=data["due_on"],
                )
            else:
                services.action_item_update(
                    item=item,
                    actor=request.user,
                    title=data["title"],
                    owner=data["owner"],
                    due_on=data["due_on"],
                    state=data["state"],
                )
        except ValidationError as error:
            field = "due_on" if getattr(error, "code", None) == "due_before_workshop" else None
            form.add_error(field, error_text(error))
        else:
            return redirect("sefex:detail", pk=workshop.pk)
    return _form_page(request, form, workshop, _("Action item"))


@upload_limit(uploads.max_bytes)
@manager_required
def attachment_add(request, pk):
    workshop = _workshop(pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                workshop=workshop, actor=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The file has been attached."))
            return redirect("sefex:detail", pk=workshop.pk)
    return _form_page(request, form, workshop, _("Attach a file"), multipart=True)


@require_POST
@manager_required
def attachment_delete(request, pk):
    attachment = attachment_get_for_user_or_404(request.user, pk)
    try:
        services.attachment_delete(attachment=attachment, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("sefex:detail", pk=attachment.workshop_id)


@manager_required
def assessment(request, pk):
    workshop = _workshop(pk)
    instance = MaturityAssessment.objects.filter(workshop=workshop).first()
    form = AssessmentForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assessment_save(
                workshop=workshop,
                actor=request.user,
                note=data["note"],
                **{name: data[name] for name in MaturityAssessment.DIMENSIONS},
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            return redirect("sefex:detail", pk=workshop.pk)
    return _form_page(request, form, workshop, _("Maturity assessment"))


@manager_required
def availability(request):
    rule_form = AvailabilityRuleForm(
        request.POST if request.POST.get("kind") == "rule" else None,
        prefix="rule",
        initial={"valid_from": timezone.localdate()},
    )
    exception_form = AvailabilityExceptionForm(
        request.POST if request.POST.get("kind") == "exception" else None, prefix="exc"
    )
    if request.method == "POST":
        try:
            if rule_form.is_bound and rule_form.is_valid():
                services.availability_rule_add(
                    project_manager=request.user, actor=request.user, **rule_form.cleaned_data
                )
                return redirect("sefex:availability")
            if exception_form.is_bound and exception_form.is_valid():
                data = exception_form.cleaned_data
                services.availability_exception_add(
                    project_manager=request.user,
                    actor=request.user,
                    day=data["date"],
                    start_time=data["start_time"],
                    end_time=data["end_time"],
                    note=data["note"],
                )
                return redirect("sefex:availability")
        except ValidationError as error:
            (rule_form if rule_form.is_bound else exception_form).add_error(None, error_text(error))
    today = timezone.localdate()
    return render(
        request,
        "sefex/staff/availability.html",
        {
            "rule_form": rule_form,
            "exception_form": exception_form,
            "rules": request.user.sefex_availability.all(),
            "exceptions": request.user.sefex_absences.filter(date__gte=today),
            "free_slots": selectors.free_slots(
                manager=request.user, start=today, days=14, duration_hours=4
            ),
        },
    )


@require_POST
@manager_required
def availability_delete(request, kind, pk):
    if kind == "rule":
        services.availability_rule_delete(
            rule=availability_rule_get_for_user_or_404(request.user, pk), actor=request.user
        )
    else:
        services.availability_exception_delete(
            exception=availability_exception_get_for_user_or_404(request.user, pk),
            actor=request.user,
        )
    return redirect("sefex:availability")
