"""The import of companies and contacts from a spreadsheet."""

import secrets

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.roles import role_required
from core.uploads import upload_limit

from .. import exports, services
from ..forms import (
    ImportForm,
)
from ..permissions import (
    STAFF_READ,
    STAFF_WRITE,
)

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

    from ..resources import HEADERS

    return exports.dataset_response(Dataset(headers=HEADERS), fmt, "vorlage-import")
