"""The forum page and registering from it: a company user registers herself with one click,
colleagues from the company's list, or a new colleague entered in the same form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.roles import Role, has_role, role_required

from . import attendees, colleagues, selectors, services
from .forms import ColleaguesForm, NewColleagueForm
from .models import Registration
from .outcomes import add_registration_outcome
from .permissions import forum_get_for_user_or_404, is_forum_staff

VIEWERS = (Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER, Role.COMPANY_USER)
NO_ONE_CHOSEN = _("Please tick at least one colleague or enter a new colleague.")
NOTHING_WRITTEN = _("Nobody was registered: please check the details in the registration form.")


def error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _choices(user, forum) -> list:
    """Colleagues not registered yet; the user herself has her own button above the list."""
    return [
        contact
        for contact in selectors.company_contacts_not_registered(forum, user.company)
        if contact.pk != user.contact_id
    ]


def _company_panel(user, forum, *, form=None, new_form=None) -> dict:
    """What the company's box on the forum page shows: its registrations and seats, the
    user's own registration, and the form to register colleagues."""
    company = user.company
    registrations = list(selectors.company_registrations_for_forum(forum, company))
    seats = sum(1 for r in registrations if r.holds_seat)
    own = next((r for r in registrations if r.contact_id == user.contact_id), None)
    if form is None:
        form = ColleaguesForm(company=company, forum=forum, choices=_choices(user, forum))
    return {
        "company_registrations": registrations,
        # The company's own cap, beside the forum's free seats: why a third person waits.
        "company_seats": seats,
        "company_full": seats >= forum.seats_per_company,
        "own_registration": own,
        "form": form,
        "new_form": new_form or NewColleagueForm(),
    }


def _render_detail(request, pk, *, status=200, **panel):
    forum_get_for_user_or_404(request.user, pk)  # 404 for drafts outside staff
    forum = selectors.forum_detail(pk).get()
    context = {
        "forum": forum,
        "seats_left": selectors.seats_left(forum),
        "registration_open": forum.is_registration_open(),
        "is_staff": is_forum_staff(request.user),
    }
    if has_role(request.user, Role.COMPANY_USER) and request.user.company_id:
        context.update(_company_panel(request.user, forum, **panel))
        context.update(
            attendees.page_context(
                request.user, forum, company_registrations=context["company_registrations"]
            )
        )
    return render(request, "forums/detail.html", context, status=status)


@role_required(*VIEWERS)
def forum_detail(request, pk):
    return _render_detail(request, pk)


@require_POST
@role_required(Role.COMPANY_USER)
def register_self(request, pk):
    """ "Register me": the company user's own contact, in one click."""
    forum = forum_get_for_user_or_404(request.user, pk)
    try:
        registration = colleagues.register_self(forum=forum, user=request.user)
    except ValidationError as error:
        if getattr(error, "code", None) == "duplicate":
            messages.info(request, error_text(error))
        else:
            messages.error(request, error_text(error))
    else:
        add_registration_outcome(request, registration, yourself=True)
        # Only she decides to be on the attendee list, in the same click.
        attendees.listing_from_post(
            request.POST, [registration], contact_id=request.user.contact_id, actor=request.user
        )
    return redirect("forums:detail", pk=forum.pk)


@require_POST
@role_required(Role.COMPANY_USER)
def forum_register(request, pk):
    """Colleagues picked from the list and a new colleague typed in; each one is its own
    registration. Typed-in mistakes show the form again with what was typed."""
    forum = forum_get_for_user_or_404(request.user, pk)
    company = request.user.company
    form = ColleaguesForm(
        request.POST, company=company, forum=forum, choices=_choices(request.user, forum)
    )
    new_form = NewColleagueForm(request.POST)
    if not form.is_valid():  # a person of another company: not something one types
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("forums:detail", pk=forum.pk)
    if not new_form.is_valid():
        return _invalid(request, forum, form, new_form)
    chosen = list(form.cleaned_data["contacts"])
    if not chosen and not new_form.is_filled():
        new_form.add_error(None, NO_ONE_CHOSEN)
        return _invalid(request, forum, form, new_form)
    if new_form.is_filled():
        data = new_form.cleaned_data
        try:
            registration = colleagues.colleague_add_and_register(
                forum=forum,
                user=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                function=data["function"],
            )
        except ValidationError as error:
            _add_errors(new_form, error)
            return _invalid(request, forum, form, new_form)
        add_registration_outcome(request, registration)
    for contact in chosen:
        try:
            registration = services.registration_create(
                forum=forum,
                contact=contact,
                source=Registration.Source.PORTAL,
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
            continue
        add_registration_outcome(request, registration)
    return redirect("forums:detail", pk=forum.pk)


def _add_errors(form, error: ValidationError) -> None:
    """A service's error on the new colleague's fields where it names one, else on the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _invalid(request, forum, form, new_form):
    # The reasons that belong to no field (a deadline passed) also go on top: the form itself
    # is not shown once registration has closed.
    reasons = [str(NOTHING_WRITTEN), *new_form.non_field_errors()]
    messages.error(request, " ".join(reasons))
    return _render_detail(request, forum.pk, status=400, form=form, new_form=new_form)
