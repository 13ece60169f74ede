"""The company portal: a company user's own company, colleagues and invitation choices."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.roles import Role, role_required

from .. import exports, selectors, services
from ..forms import (
    ContactForm,
    InvitationRecipientsForm,
    PortalCompanyForm,
)
from ..models import Contact
from ..permissions import (
    own_company_or_404,
)
from .common import (
    company_saved,
    contact_delete_with_message,
    contact_saved,
    form_page,
)


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
    if request.method == "POST" and form.is_valid() and company_saved(request, form):
        messages.success(request, _("Changes saved."))
        return redirect("members:portal")
    return form_page(
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
        if contact_saved(request, form, contact):
            messages.success(request, _("The colleague was added."))
            return redirect("members:portal")
    return form_page(request, form, title=_("Add a colleague"), back=reverse("members:portal"))


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
        and contact_saved(request, form, form.save(commit=False))
    ):
        messages.success(request, _("Changes saved."))
        return redirect("members:portal")
    return form_page(
        request,
        form,
        title=_("Edit %(contact)s") % {"contact": contact},
        back=reverse("members:portal"),
    )


@role_required(Role.COMPANY_USER)
@require_POST
def portal_contact_delete(request, pk):
    contact = _own_contact_or_404(request, pk)
    contact_delete_with_message(request, contact)
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
    return form_page(
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
