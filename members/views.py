"""Pages of the members app: the staff directory and company pages, and the company portal.

Company-scoped pages first find the object for the user (a foreign id answers 404), then
check the role (a reachable object with the wrong role answers 403).
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from metalldialog.roles import Role, has_role, role_required
from metalldialog.uploads import upload_limit

from . import exports, selectors, services, sme_selectors
from .filters import CompanyFilter, ContactFilter
from .forms import (
    CompanyForm,
    ContactForm,
    ImportForm,
    InvitationRecipientsForm,
    PortalCompanyForm,
    RelationshipForm,
    SmeFiguresForm,
    SmeHoldingForm,
)
from .history import history_entries
from .models import Company, Contact, SmeFigures
from .permissions import (
    STAFF_READ,
    STAFF_WRITE,
    company_get_for_user_or_404,
    company_scope,
    contact_get_for_user_or_404,
    contact_scope,
    own_company_or_404,
    require_role,
    sme_figures_get_for_user_or_404,
    sme_holding_get_for_user_or_404,
)

PAGE_SIZE = 50
AUTOCOMPLETE_LIMIT = 20


def _page(request, queryset):
    paginator = Paginator(queryset, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _form_page(request, form, *, title, back, company=None, intro=""):
    return render(
        request,
        "members/form.html",
        {"form": form, "title": title, "back": back, "company": company, "intro": intro},
    )


# --- Directory and lists (staff) ---------------------------------------------------


@role_required(*STAFF_READ)
@require_GET
def directory(request):
    filterset = CompanyFilter(request.GET or None, queryset=Company.objects.all())
    queryset = filterset.qs if filterset.is_bound else Company.objects.all()
    page = _page(request, selectors.company_directory(queryset))
    return render(
        request,
        "members/directory.html",
        {
            "filter": filterset,
            "page": page,
            "rows": selectors.directory_rows(page),
            "query": _query_without_page(request),
        },
    )


@role_required(*STAFF_READ)
@require_GET
def directory_export(request, fmt):
    filterset = CompanyFilter(request.GET or None, queryset=Company.objects.all())
    queryset = filterset.qs if filterset.is_bound else Company.objects.all()
    return exports.dataset_response(exports.companies_dataset(queryset), fmt, "unternehmen")


@role_required(*STAFF_READ)
@require_GET
def contacts(request):
    filterset = ContactFilter(request.GET or None, queryset=Contact.objects.all())
    queryset = filterset.qs if filterset.is_bound else Contact.objects.all()
    page = _page(request, selectors.contact_list(queryset))
    return render(
        request,
        "members/contacts.html",
        {"filter": filterset, "page": page, "query": _query_without_page(request)},
    )


@role_required(*STAFF_READ)
@require_GET
def contacts_export(request, fmt):
    filterset = ContactFilter(request.GET or None, queryset=Contact.objects.all())
    queryset = filterset.qs if filterset.is_bound else Contact.objects.all()
    return exports.dataset_response(exports.contacts_dataset(queryset), fmt, "kontakte")


# --- One company (staff; a company user is sent to the portal) ---------------------


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
            "relationships": selectors.company_relationships(company),
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
        company = _save_company(request, form)
        if company:
            messages.success(request, _("The company was created."))
            return redirect("members:company", pk=company.pk)
    return _form_page(request, form, title=_("New company"), back=reverse("members:directory"))


def _save_company(request, form):
    try:
        return services.company_save(
            company=form.save(commit=False), sectors=form.cleaned_data["sectors"]
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_required
def company_edit(request, pk):
    company = company_get_for_user_or_404(request.user, pk)
    require_role(request.user, *STAFF_WRITE)
    form = CompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid() and _save_company(request, form):
        messages.success(request, _("Changes saved."))
        return redirect("members:company", pk=company.pk)
    return _form_page(
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
    form = RelationshipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.relationship_start(
                company=company,
                cluster=form.cleaned_data["cluster"],
                kind=form.cleaned_data["kind"],
                valid_from=form.cleaned_data["valid_from"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The relationship was recorded."))
            return redirect("members:company", pk=company.pk)
    return _form_page(
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
        )
        messages.success(request, _("The figures were saved; the SME class is up to date."))
        return redirect("members:company", pk=company.pk)
    return _form_page(
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
    services.sme_figures_delete(figures=figures)
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
    return _form_page(
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


# --- Contacts (staff) ----------------------------------------------------------------


def _save_contact(form, contact) -> Contact | None:
    try:
        return services.contact_save(contact=contact, topics=form.cleaned_data["topics"])
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_required
def contact_create(request, pk):
    company = company_get_for_user_or_404(request.user, pk)
    require_role(request.user, *STAFF_WRITE)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = form.save(commit=False)
        contact.company = company
        if _save_contact(form, contact):
            messages.success(request, _("The contact was added."))
            return redirect("members:company", pk=company.pk)
    return _form_page(
        request,
        form,
        title=_("New contact at %(company)s") % {"company": company},
        back=reverse("members:company", args=[company.pk]),
        company=company,
    )


@login_required
def contact_edit(request, pk):
    contact = contact_get_for_user_or_404(request.user, pk)
    if has_role(request.user, Role.COMPANY_USER):
        return redirect("members:portal_contact_edit", pk=contact.pk)
    require_role(request.user, *STAFF_WRITE)
    form = ContactForm(request.POST or None, instance=contact)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_contact(form, form.save(commit=False))
    ):
        messages.success(request, _("Changes saved."))
        return redirect("members:company", pk=contact.company_id)
    return _form_page(
        request,
        form,
        title=_("Edit %(contact)s") % {"contact": contact},
        back=reverse("members:company", args=[contact.company_id]),
        company=contact.company,
    )


@login_required
@require_POST
def contact_delete(request, pk):
    contact = contact_get_for_user_or_404(request.user, pk)
    require_role(request.user, *STAFF_WRITE)
    _delete_contact(request, contact)
    return redirect("members:company", pk=contact.company_id)


@login_required
@require_POST
def contact_opt_in(request, pk):
    contact = contact_get_for_user_or_404(request.user, pk)
    require_role(request.user, *STAFF_WRITE)
    services.contact_opt_in(contact=contact)
    messages.success(request, _("%(contact)s receives mail again.") % {"contact": contact})
    return redirect("members:company", pk=contact.company_id)


def _delete_contact(request, contact):
    try:
        services.contact_delete(contact=contact)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(contact)s was removed.") % {"contact": contact})


@login_required
@require_GET
def contact_history(request, pk):
    contact = contact_get_for_user_or_404(request.user, pk)
    require_role(request.user, *STAFF_READ)
    return render(
        request,
        "members/history.html",
        {
            "object": contact,
            "company": contact.company,
            "entries": history_entries(contact.history.all()),
            "back": reverse("members:company", args=[contact.company_id]),
        },
    )


# --- Import ------------------------------------------------------------------------

IMPORT_CACHE_SECONDS = 3600


def _import_key(request, token: str) -> str:
    # Bound to the user: nobody else can confirm an upload they did not make.
    return f"members-import:{request.user.pk}:{token}"


@upload_limit(ImportForm.MAX_BYTES)
@role_required(*STAFF_WRITE)
def import_companies(request):
    """Upload -> dry run with preview -> confirm (the file waits in the cache meanwhile)."""
    if request.method == "POST" and "token" in request.POST:
        token = request.POST["token"]
        stored = cache.get(_import_key(request, token))
        if stored is None:
            messages.error(request, _("The upload has expired. Please upload the file again."))
            return redirect("members:import")
        filename, content = stored
        report = services.company_import(content=content, filename=filename, dry_run=False)
        cache.delete(_import_key(request, token))
        if report.ok:
            messages.success(
                request,
                _(
                    "Import done: %(new)s new and %(updated)s updated companies, "
                    "%(contacts_new)s new and %(contacts_updated)s updated contacts."
                )
                % {
                    "new": report.companies_new,
                    "updated": report.companies_updated,
                    "contacts_new": report.contacts_new,
                    "contacts_updated": report.contacts_updated,
                },
            )
            return redirect("members:directory")
        return render(request, "members/import.html", {"form": ImportForm(), "report": report})
    form = ImportForm(request.POST or None, request.FILES or None)
    report = token = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        report = services.company_import(content=content, filename=upload.name, dry_run=True)
        if report.ok:
            token = secrets.token_urlsafe(16)
            cache.set(_import_key(request, token), (upload.name, content), IMPORT_CACHE_SECONDS)
    return render(request, "members/import.html", {"form": form, "report": report, "token": token})


@role_required(*STAFF_READ)
@require_GET
def import_template(request, fmt):
    """An empty file with the import's columns."""
    from tablib import Dataset

    from .resources import HEADERS

    return exports.dataset_response(Dataset(headers=HEADERS), fmt, "vorlage-import")


# --- Autocomplete ------------------------------------------------------------------


@login_required
@require_GET
def company_autocomplete(request):
    """Staff: any company; a company user: only their own. JSON [{id, text}]."""
    terms = request.GET.get("q", "")
    queryset = selectors.search_companies_or_contacts(
        company_scope(request.user), terms, company_ref="pk", prefix=""
    )
    rows = queryset.order_by("legal_name").values("pk", "legal_name", "city")[:AUTOCOMPLETE_LIMIT]
    return JsonResponse(
        {"results": [{"id": r["pk"], "text": f"{r['legal_name']} ({r['city']})"} for r in rows]}
    )


@login_required
@require_GET
def contact_autocomplete(request):
    terms = request.GET.get("q", "")
    queryset = contact_scope(request.user)
    company = request.GET.get("company")
    if company:
        if not company.isdigit():
            raise Http404
        queryset = queryset.filter(company=company_get_for_user_or_404(request.user, company))
    for term in selectors.search_terms(terms):
        queryset = queryset.filter(
            Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(email__icontains=term)
        )
    rows = queryset.select_related("company").order_by("last_name", "first_name")[
        :AUTOCOMPLETE_LIMIT
    ]
    return JsonResponse(
        {"results": [{"id": c.pk, "text": f"{c.full_name} – {c.company}"} for c in rows]}
    )


# --- Company portal ------------------------------------------------------------------


@role_required(Role.COMPANY_USER)
@require_GET
def portal(request):
    company = own_company_or_404(request.user)
    return render(
        request,
        "members/portal.html",
        {
            "company": company,
            "contacts": selectors.company_contacts_detail(company),
            "relationships": selectors.company_relationships(company),
            "sectors": company.sectors.all(),
        },
    )


@role_required(Role.COMPANY_USER)
def portal_profile(request):
    company = own_company_or_404(request.user)
    form = PortalCompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid() and _save_company(request, form):
        messages.success(request, _("Changes saved."))
        return redirect("members:portal")
    return _form_page(
        request,
        form,
        title=_("Company profile"),
        back=reverse("members:portal"),
        intro=_(
            "Name, legal form and identifiers are kept by the cluster management; "
            "write to them if these changed."
        ),
    )


@role_required(Role.COMPANY_USER)
def portal_contact_create(request):
    company = own_company_or_404(request.user)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = form.save(commit=False)
        contact.company = company
        if _save_contact(form, contact):
            messages.success(request, _("The colleague was added."))
            return redirect("members:portal")
    return _form_page(request, form, title=_("Add a colleague"), back=reverse("members:portal"))


def _own_contact_or_404(request, pk) -> Contact:
    company = own_company_or_404(request.user)
    return get_object_or_404(Contact, pk=pk, company=company)


@role_required(Role.COMPANY_USER)
def portal_contact_edit(request, pk):
    contact = _own_contact_or_404(request, pk)
    form = ContactForm(request.POST or None, instance=contact)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_contact(form, form.save(commit=False))
    ):
        messages.success(request, _("Changes saved."))
        return redirect("members:portal")
    return _form_page(
        request,
        form,
        title=_("Edit %(contact)s") % {"contact": contact},
        back=reverse("members:portal"),
    )


@role_required(Role.COMPANY_USER)
@require_POST
def portal_contact_delete(request, pk):
    contact = _own_contact_or_404(request, pk)
    _delete_contact(request, contact)
    return redirect("members:portal")


@role_required(Role.COMPANY_USER)
def portal_invitations(request):
    company = own_company_or_404(request.user)
    initial = {"recipients": company.contacts.filter(receives_invitations=True)}
    form = InvitationRecipientsForm(request.POST or None, company=company, initial=initial)
    if request.method == "POST" and form.is_valid():
        count = services.company_invitation_recipients_set(
            company=company, contacts=form.cleaned_data["recipients"]
        )
        messages.success(
            request,
            _("Saved: %(count)s colleague(s) receive forum invitations.") % {"count": count},
        )
        return redirect("members:portal")
    return _form_page(
        request,
        form,
        title=_("Who receives forum invitations?"),
        back=reverse("members:portal"),
        intro=_("Invitations to the Metall-Forum go to the colleagues ticked here."),
    )


@role_required(Role.COMPANY_USER)
@require_GET
def portal_contacts_export(request, fmt):
    company = own_company_or_404(request.user)
    return exports.dataset_response(
        exports.contacts_dataset(company.contacts.all()), fmt, "kontakte"
    )
