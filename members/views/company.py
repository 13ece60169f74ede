"""One company's pages for staff (a company user is sent to the portal): the page, its edit
and history, relationships and SME figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.roles import Role, has_role, role_required

from .. import exports, selectors, services, sme_selectors
from ..clusters import in_managed_clusters, managed_clusters
from ..forms import (
    CompanyForm,
    RelationshipForm,
    SmeFiguresForm,
    SmeHoldingForm,
)
from ..history import history_entries
from ..models import SmeFigures
from ..permissions import (
    STAFF_READ,
    STAFF_WRITE,
    company_get_for_user_or_404,
    require_role,
    sme_figures_get_for_user_or_404,
    sme_holding_get_for_user_or_404,
)
from .common import (
    company_saved,
    form_page,
)


@login_required
@require_GET
def company_detail(request, pk):
    company = company_get_for_user_or_404(request.user, pk)
    if has_role(request.user, Role.COMPANY_USER):
        return redirect("members:portal")
    require_role(request.user, *STAFF_READ)
    return render(
        request,
        "members/company_detail.html",
        {
            "company": company,
            "contacts": selectors.company_contacts_detail(company),
            "relationships": selectors.company_relationships(
                company, in_managed_clusters(request.user)
            ),
            "figures": selectors.company_sme_figures(company),
            "sme_table": sme_selectors.sme_table(company),
            "sectors": company.sectors.all(),
            "can_edit": has_role(request.user, *STAFF_WRITE),
        },
    )


@role_required(*STAFF_WRITE)
def company_create(request):
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        company = company_saved(request, form)
        if company:
            messages.success(request, _("The company was created."))
            return redirect("members:company", pk=company.pk)
    return form_page(request, form, title=_("New company"), back=reverse("members:directory"))


@login_required
def company_edit(request, pk):
    company = company_get_for_user_or_404(request.user, pk)
    require_role(request.user, *STAFF_WRITE)
    form = CompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid() and company_saved(request, form):
        messages.success(request, _("Changes saved."))
        return redirect("members:company", pk=company.pk)
    return form_page(
        request,
        form,
        title=_("Edit %(company)s") % {"company": company},
        back=reverse("members:company", args=[company.pk]),
        company=company,
    )


@login_required
@require_GET
def company_history(request, pk):
    company = company_get_for_user_or_404(request.user, pk)
    require_role(request.user, *STAFF_READ)
    return render(
        request,
        "members/history.html",
        {
            "object": company,
            "company": company,
            "entries": history_entries(company.history.all()),
            "back": reverse("members:company", args=[company.pk]),
        },
    )


@login_required
@require_GET
def company_contacts_export(request, pk, fmt):
    """The contacts of one company: staff for any company, a company user for their own."""
    company = company_get_for_user_or_404(request.user, pk)
    return exports.dataset_response(
        exports.contacts_dataset(company.contacts.all()), fmt, "kontakte"
    )


@login_required
def relationship_create(request, pk):
    company = company_get_for_user_or_404(request.user, pk)
    require_role(request.user, *STAFF_WRITE)
    form = RelationshipForm(request.POST or None, clusters=managed_clusters(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.relationship_start(
                company=company,
                cluster=form.cleaned_data["cluster"],
                kind=form.cleaned_data["kind"],
                valid_from=form.cleaned_data["valid_from"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The relationship was recorded."))
            return redirect("members:company", pk=company.pk)
    return form_page(
        request,
        form,
        title=_("New relationship of %(company)s") % {"company": company},
        back=reverse("members:company", args=[company.pk]),
        company=company,
        intro=_("A relationship in force to the same cluster ends the day before."),
    )


@login_required
def sme_figures_edit(request, pk, year=None):
    company = company_get_for_user_or_404(request.user, pk)
    require_role(request.user, *STAFF_WRITE)
    instance = None
    if year is not None:
        instance = get_object_or_404(SmeFigures, company=company, fiscal_year=year)
    form = SmeFiguresForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.sme_figures_save(
            company=company,
            fiscal_year=data["fiscal_year"],
            staff_units=data["staff_units"],
            turnover=data["turnover"],
            balance_sheet=data["balance_sheet"],
            public_share=data["public_share"],
            consolidated=data["consolidated"],
            actor=request.user,
        )
        messages.success(request, _("The figures were saved; the SME class is up to date."))
        return redirect("members:company", pk=company.pk)
    return form_page(
        request,
        form,
        title=_("SME figures of %(company)s") % {"company": company},
        back=reverse("members:company", args=[company.pk]),
        company=company,
        intro=_("An existing fiscal year is replaced."),
    )


@login_required
@require_POST
def sme_figures_delete(request, pk):
    figures = sme_figures_get_for_user_or_404(request.user, pk)
    require_role(request.user, *STAFF_WRITE)
    services.sme_figures_delete(figures=figures, actor=request.user)
    messages.success(request, _("The figures were deleted."))
    return redirect("members:company", pk=figures.company_id)


@login_required
def sme_holding_create(request, pk):
    figures = sme_figures_get_for_user_or_404(request.user, pk)
    require_role(request.user, *STAFF_WRITE)
    company = figures.company
    form = SmeHoldingForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        try:
            services.sme_holding_add(figures=figures, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The holding was recorded."))
            return redirect("members:company", pk=company.pk)
    return form_page(
        request,
        form,
        title=_("Holding in %(year)s") % {"year": figures.fiscal_year},
        back=reverse("members:company", args=[company.pk]),
        company=company,
        intro=_(
            "Partner enterprises (25 percent or more, not linked) count pro rata, "
            "linked enterprises in full."
        ),
    )


@login_required
@require_POST
def sme_holding_delete(request, pk):
    holding = sme_holding_get_for_user_or_404(request.user, pk)
    require_role(request.user, *STAFF_WRITE)
    company_id = holding.figures.company_id
    services.sme_holding_delete(holding=holding, actor=request.user)
    messages.success(request, _("The holding was deleted."))
    return redirect("members:company", pk=company_id)
