"""Pages of the competence directory: search, a profile, a contact request, the own profile."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.roles import Role, role_required

from . import selectors, services
from .forms import EnquiryForm, ProfileForm, SearchForm
from .permissions import READERS, may_enquire, profile_get_for_user_or_404

PAGE_SIZE = 25


@role_required(*READERS)
def search(request):
    form = SearchForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.profile_search(**filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    own = None
    if request.user.company_id:
        own = selectors.company_profile(request.user.company)
    return render(
        request,
        "atlas/search.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(filters),
            "own_profile": own,
        },
    )


@role_required(*READERS)
def profile(request, pk):
    profile = profile_get_for_user_or_404(request.user, pk)
    return render(
        request,
        "atlas/profile.html",
        {
            "profile": profile,
            "may_enquire": may_enquire(request.user, profile),
            "own": profile.company_id == request.user.company_id,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.COMPANY_USER)
def enquire(request, pk):
    profile = profile_get_for_user_or_404(request.user, pk)
    if not may_enquire(request.user, profile):
        raise Http404
    form = EnquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enquiry_send(
                actor=request.user, profile=profile, message=form.cleaned_data["message"]
            )
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your request is on its way to %(company)s. They will answer you by e-mail.")
                % {"company": profile.company.legal_name},
            )
            return redirect("atlas:profile", pk=profile.pk)
    return render(
        request,
        "atlas/enquire.html",
        {"profile": profile, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.COMPANY_USER)
def own_profile(request):
    company = request.user.company
    if company is None:
        raise Http404
    instance = selectors.company_profile(company)
    form = ProfileForm(
        request.POST or None,
        instance=instance,
        contacts=selectors.request_contacts(company),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.profile_save(
                actor=request.user, company=company, values=form.values(), entries=form.entries()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if saved.published:
                messages.success(request, _("Your competence profile is saved and published."))
            else:
                messages.success(
                    request, _("Your competence profile is saved; other members do not see it.")
                )
            return redirect("atlas:own_profile")
    return render(
        request,
        "atlas/own_profile.html",
        {"form": form, "profile": instance},
        status=400 if form.errors else 200,
    )
