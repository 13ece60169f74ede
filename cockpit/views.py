from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.roles import Role, has_role, role_required

from . import annual, annual_output, engagement, exports, figures
from .forms import YearForm, cluster_from


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


@role_required(Role.CLUSTER_MANAGER)
def annual_report(request):
    """The year's figures as a page, XLSX (?format=xlsx) or PDF (?format=pdf)."""
    cluster, form = cluster_from(request)
    last_year = timezone.localdate().year - 1
    year_form = YearForm(request.GET if "year" in request.GET else None)
    year = year_form.cleaned_data["year"] if year_form.is_valid() else last_year
    report = annual.annual_report(year, cluster)
    sections = annual_output.report_sections(report)
    fmt = request.GET.get("format", "")
    stem = f"jahresbericht-{year}" + (f"-{cluster['slug']}" if cluster else "")
    if fmt == "xlsx":
        response = HttpResponse(
            annual_output.report_xlsx(report, sections),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "pdf":
        response = HttpResponse(
            annual_output.report_pdf(report, sections, cluster, request),
            content_type="application/pdf",
        )
    else:
        return render(
            request,
            "cockpit/annual_report.html",
            {
                "report": report,
                "sections": sections,
                "form": form,
                "year_form": year_form,
                "year": year,
                "cluster": cluster,
            },
        )
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
