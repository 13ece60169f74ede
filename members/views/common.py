"""What the members pages share: paging, the form page and saving a company or contact."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import services
from ..models import Contact

PAGE_SIZE = 50
AUTOCOMPLETE_LIMIT = 20


def page_of(request, queryset):
    paginator = Paginator(queryset, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def form_page(request, form, *, title, back, company=None, intro=""):
    return render(
        request,
        "members/form.html",
        {"form": form, "title": title, "back": back, "company": company, "intro": intro},
    )


def company_saved(request, form):
    try:
        return services.company_save(
            company=form.save(commit=False),
            sectors=form.cleaned_data["sectors"],
            actor=request.user,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


def contact_saved(request, form, contact) -> Contact | None:
    try:
        return services.contact_save(
            contact=contact, topics=form.cleaned_data["topics"], actor=request.user
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


def contact_delete_with_message(request, contact):
    try:
        services.contact_delete(contact=contact, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(contact)s was removed.") % {"contact": contact})
