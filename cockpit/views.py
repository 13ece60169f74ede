from django.shortcuts import redirect, render

from metalldialog.roles import Role, has_role, role_required

from . import engagement, exports, figures
from .forms import cluster_from


@role_required(Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER)
def dashboard(request):
    """The cluster manager's start page; project managers are sent to the SEFEX part."""
    if not has_role(request.user, Role.CLUSTER_MANAGER):
        return redirect("cockpit:sefex")
    cluster, form = cluster_from(request)
    body = figures.dashboard(cluster, request, fresh="refresh" in request.GET)
    return render(
        request, "cockpit/dashboard.html", {"body": body, "form": form, "cluster": cluster}
    )


@role_required(Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER)
def sefex(request):
    cluster, form = cluster_from(request)
    body = figures.sefex(cluster, request, fresh="refresh" in request.GET)
    return render(request, "cockpit/sefex.html", {"body": body, "form": form, "cluster": cluster})


@role_required(Role.CLUSTER_MANAGER)
def sleeping(request):
    """Members without participation in twelve months, as a page or as CSV/XLSX."""
    cluster, form = cluster_from(request)
    rows = engagement.sleeping_members(cluster)
    fmt = request.GET.get("format", "")
    if fmt in exports.FORMATS:
        return exports.sleeping_response(rows, fmt)
    return render(
        request,
        "cockpit/sleeping.html",
        {"rows": rows, "form": form, "cluster": cluster},
    )
