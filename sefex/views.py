"""Company pages (own workshops, requests, choosing a slot, minutes, action items), the workshop
page shared with staff, files behind the permission check, and the token links without login."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.roles import Role, has_role, is_staff_role, role_required
from members.models import Contact

from . import selectors, services
from .forms import FeedbackForm, RequestForm
from .ics import workshop_ics
from .models import ProposedSlot, Workshop
from .permissions import (
    action_item_get_for_user_or_404,
    attachment_get_for_user_or_404,
    is_manager,
    minutes_visible,
    workshop_get_for_user_or_404,
)
from .tokens import TokenError, read_feedback_token, read_slot_token

VIEWERS = (Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER, Role.COMPANY_USER)


def error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _company_or_404(user):
    if not (has_role(user, Role.COMPANY_USER) and user.company_id):
        raise Http404
    return user.company


@role_required(Role.COMPANY_USER)
@require_GET
def portal(request):
    company = _company_or_404(request.user)
    return render(
        request,
        "sefex/portal.html",
        {
            "company": company,
            "workshops": list(selectors.company_workshops(company)),
            "action_items": list(selectors.company_action_items(company)),
            "chart": selectors.maturity_chart(company, released_only=True),
        },
    )


@role_required(Role.COMPANY_USER)
def request_workshop(request):
    company = _company_or_404(request.user)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            workshop = services.workshop_request(
                actor=request.user,
                company=company,
                module=data["module"],
                preferred_from=data["preferred_from"],
                preferred_until=data["preferred_until"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Thank you. The project manager will propose dates."))
            return redirect("sefex:detail", pk=workshop.pk)
    return render(
        request,
        "sefex/form.html",
        {
            "form": form,
            "title": _("Request a workshop"),
            "back": "sefex:portal",
            # Apps above (funding) add the aid value and the room under the ceiling here.
            "fragment_place": "sefex.request",
            "fragment_object": company,
        },
    )


@role_required(*VIEWERS)
@require_GET
def workshop_detail(request, pk):
    workshop_get_for_user_or_404(request.user, pk)
    workshop = selectors.workshop_detail(pk).get()
    is_staff = is_staff_role(request.user)
    return render(
        request,
        "sefex/detail.html",
        {
            "workshop": workshop,
            "show_minutes": minutes_visible(request.user, workshop),
            "is_manager": is_manager(request.user),
            "is_company": has_role(request.user, Role.COMPANY_USER),
            "State": Workshop.State,
            # Staff judging a request see the company's earlier workshops.
            "history": list(selectors.company_history(workshop)) if is_staff else None,
        },
    )


@require_POST
@role_required(Role.COMPANY_USER)
def choose_slot(request, pk):
    workshop = workshop_get_for_user_or_404(request.user, pk)
    try:
        services.slot_choose(
            slot_id=_int(request.POST.get("slot")), workshop_id=workshop.pk, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The appointment is booked. A confirmation is on its way."))
    return redirect("sefex:detail", pk=workshop.pk)


@require_POST
@role_required(Role.COMPANY_USER)
def withdraw_request(request, pk):
    workshop = workshop_get_for_user_or_404(request.user, pk)
    try:
        services.workshop_cancel(
            workshop=workshop, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The request has been withdrawn."))
    return redirect("sefex:detail", pk=workshop.pk)


@require_POST
@role_required(Role.COMPANY_USER, Role.PROJECT_MANAGER)
def action_item_done(request, pk):
    item = action_item_get_for_user_or_404(request.user, pk)
    done = request.POST.get("done", "1") == "1"
    try:
        services.action_item_mark_done(item=item, actor=request.user, done=done)
    except ValidationError as error:
        messages.error(request, error_text(error))
    next_url = request.POST.get("next", "")
    if next_url == "portal":
        return redirect("sefex:portal")
    return redirect("sefex:detail", pk=item.workshop_id)


@role_required(*VIEWERS)
@require_GET
def attachment_download(request, pk):
    """Files are only ever served here, after the permission check (never from MEDIA_URL)."""
    attachment = attachment_get_for_user_or_404(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*VIEWERS)
@require_GET
def workshop_calendar_file(request, pk):
    workshop = workshop_get_for_user_or_404(request.user, pk)
    if not workshop.starts_at:
        raise Http404
    response = HttpResponse(workshop_ics(workshop, "PUBLISH"), content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="workshop.ics"'
    return response


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- token links (no login) -------------------------------------------------------------


@never_cache
def token_choose(request, token):
    """An invited contact sees the proposed slots of their workshop and picks one."""
    try:
        data = read_slot_token(token)
    except TokenError as error:
        return render(request, "sefex/token_error.html", {"message": error.message}, status=400)
    contact = get_object_or_404(Contact.objects.select_related("company"), pk=data.contact_id)
    workshop = get_object_or_404(
        Workshop.objects.select_related("company", "module", "project_manager"),
        pk=data.workshop_id,
        company_id=contact.company_id,
    )
    if request.method == "POST":
        try:
            services.slot_choose(
                slot_id=_int(request.POST.get("slot")), workshop_id=workshop.pk, contact=contact
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The appointment is booked. A confirmation is on its way."))
        return redirect("sefex:token", token=token)
    workshop.refresh_from_db()
    slots = list(ProposedSlot.objects.filter(workshop=workshop).order_by("starts_at"))
    return render(
        request, "sefex/token.html", {"workshop": workshop, "contact": contact, "slots": slots}
    )


@never_cache
def feedback(request, token):
    try:
        data = read_feedback_token(token)
    except TokenError as error:
        return render(request, "sefex/token_error.html", {"message": error.message}, status=400)
    contact = get_object_or_404(Contact, pk=data.contact_id)
    workshop = get_object_or_404(
        Workshop.objects.select_related("company", "module"),
        pk=data.workshop_id,
        company_id=contact.company_id,
    )
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(
                workshop_id=workshop.pk,
                contact=contact,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            return render(request, "sefex/feedback_thanks.html", {"workshop": workshop})
    return render(request, "sefex/feedback.html", {"form": form, "workshop": workshop})
