"""The ERDF report of one funded operation: page, XLSX and PDF (staff only)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.roles import Role, role_required

from . import erdf, erdf_exports
from .forms import PeriodForm
from .models import ErdfProject

staff_required = role_required(Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER)


def _period_of(request):
    form = PeriodForm(request.GET or PeriodForm.initial_period())
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, None, None


@staff_required
@require_GET
def project_report(request, pk):
    project = get_object_or_404(ErdfProject, pk=pk)
    form, start, end = _period_of(request)
    return render(
        request,
        "funding/erdf_project.html",
        {
            "project": project,
            "form": form,
            "report": erdf.report(project, start, end) if start else None,
            "query": request.GET.urlencode(),
        },
        status=200 if start else 400,
    )


def _file(request, pk, render_file, content_type, suffix):
    project = get_object_or_404(ErdfProject, pk=pk)
    _form, start, end = _period_of(request)
    if start is None:
        return HttpResponse(_("Please give a valid period."), status=400, content_type="text/plain")
    response = HttpResponse(
        render_file(erdf.report(project, start, end)), content_type=content_type
    )
    response["Content-Disposition"] = (
        f'attachment; filename="efre-{project.pk}-{start:%Y%m%d}-{end:%Y%m%d}.{suffix}"'
    )
    return response


@staff_required
@require_GET
def project_xlsx(request, pk):
    return _file(
        request,
        pk,
        erdf_exports.report_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )


@staff_required
@require_GET
def project_pdf(request, pk):
    return _file(request, pk, erdf_exports.report_pdf, "application/pdf", "pdf")
