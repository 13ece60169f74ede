"""Contacts on the company page (staff)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.roles import Role, has_role

from .. import services, undeliverable
from ..forms import (
    ContactForm,
)
from ..history import history_entries
from ..permissions import (
    STAFF_READ,
    STAFF_WRITE,
    company_get_for_user_or_404,
    contact_get_for_user_or_404,
    require_role,
)
from .common import (
    contact_delete_with_message,
    contact_saved,
    form_page,
)


@login_required
def contact_create(request, pk):
    company = company_get_for_user_or_404(request.user, pk)
    require_role(request.user, *STAFF_WRITE)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = form.save(commit=False)
        contact.company = company
        if contact_saved(request, form, contact):
            messages.success(request, _("The contact was added."))
            return redirect("members:company", pk=company.pk)
    return form_page(
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
        and contact_saved(request, form, form.save(commit=False))
    ):
        messages.success(request, _("Changes saved."))
        return redirect("members:company", pk=contact.company_id)
    return form_page(
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
    contact_delete_with_message(request, contact)
    return redirect("members:company", pk=contact.company_id)


@login_required
@require_POST
def contact_opt_in(request, pk):
    contact = contact_get_for_user_or_404(request.user, pk)
    require_role(request.user, *STAFF_WRITE)
    services.contact_opt_in(contact=contact, actor=request.user)
    messages.success(request, _("%(contact)s receives mail again.") % {"contact": contact})
    return redirect("members:company", pk=contact.company_id)


@login_required
@require_POST
def contact_undeliverable_lift(request, pk):
    contact = contact_get_for_user_or_404(request.user, pk)
    require_role(request.user, *STAFF_WRITE)
    undeliverable.contact_undeliverable_lift(contact=contact)
    messages.success(
        request, _("%(contact)s's address counts as deliverable again.") % {"contact": contact}
    )
    return redirect("members:company", pk=contact.company_id)


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
