"""The identity pages: staff edit a cluster's or the agency's sender and imprint; anyone
fetches a logo (mails and public pages show it)."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.roles import Role, has_role, is_agency_admin, role_required
from core.uploads import upload_limit

from ..clusters import managed_clusters
from ..identity import AGENCY, agency_get
from ..identity_forms import AgencyIdentityForm, ClusterIdentityForm
from ..identity_services import identity_save
from ..models import Cluster
from ..models.identity import LOGO_MAX_BYTES, LOGO_TYPES

LOGO_CACHE_SECONDS = 24 * 3600


@login_required
@require_GET
def identity_list(request):
    if not (has_role(request.user, Role.CLUSTER_MANAGER) or is_agency_admin(request.user)):
        raise PermissionDenied
    return render(
        request,
        "members/identity_list.html",
        {
            "agency": agency_get(),
            "clusters": managed_clusters(request.user).order_by("name"),
            "may_edit_agency": is_agency_admin(request.user),
        },
    )


def _edit(request, instance, form_class, *, title):
    form = form_class(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("logo_upload")
        identity_save(
            instance=form.save(commit=False),
            logo=upload.read() if upload else None,
            logo_extension=getattr(upload, "logo_extension", "png"),
            logo_remove=form.cleaned_data.get("logo_remove", False),
            actor=request.user,
        )
        messages.success(request, _("The identity has been saved."))
        return redirect("members:identity_list")
    return render(
        request,
        "members/identity_form.html",
        {"form": form, "title": title, "instance": instance},
        status=400 if form.errors else 200,
    )


@upload_limit(LOGO_MAX_BYTES)
@login_required
@role_required(Role.CLUSTER_MANAGER)
@require_http_methods(["GET", "POST"])
def cluster_identity_edit(request, slug):
    # A manager bound to clusters edits only theirs; another cluster's answers 404.
    cluster = get_object_or_404(managed_clusters(request.user), slug=slug)
    title = _("Identity of %(cluster)s") % {"cluster": cluster.name}
    return _edit(request, cluster, ClusterIdentityForm, title=title)


@upload_limit(LOGO_MAX_BYTES)
@login_required
@require_http_methods(["GET", "POST"])
def agency_identity_edit(request):
    if not is_agency_admin(request.user):
        raise PermissionDenied
    return _edit(request, agency_get(), AgencyIdentityForm, title=_("Identity of the agency"))


@require_GET
def identity_logo(request, key):
    source = agency_get() if key == AGENCY else get_object_or_404(Cluster, slug=key)
    if not source.logo:
        raise Http404
    content_type = mimetypes.guess_type(source.logo.name)[0]
    if content_type not in LOGO_TYPES:
        raise Http404  # only what the identity form takes is served (never SVG or HTML)
    response = FileResponse(source.logo.open("rb"), content_type=content_type)
    response["Cache-Control"] = f"public, max-age={LOGO_CACHE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
