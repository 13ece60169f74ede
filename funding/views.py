"""Funding pages: thin; parse input, check permission, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.roles import Role, has_role, role_required
from members.permissions import company_get_for_user_or_404

from . import exports, selectors, services
from .forms import (
    ConfirmationForm,
    ControlLinkEndForm,
    ControlLinkForm,
    DeclarationForm,
    PeriodForm,
    PriorAidFormSet,
)
from .models import ErdfProject
from .permissions import (
    aid_record_get_for_user_or_404,
    control_link_get_for_user_or_404,
    declaration_get_for_user_or_404,
)

staff_required = role_required(Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER)
company_user_required = role_required(Role.COMPANY_USER)


def _error_text(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


@staff_required
@require_GET
def overview(request):
    return render(
        request,
        "funding/overview.html",
        {
            "groups": selectors.ledger(),
            "pending": selectors.pending_declarations(),
            "can_confirm": has_role(request.user, Role.PROJECT_MANAGER),
        },
    )


@staff_required
@require_GET
def company(request, pk):
    company = company_get_for_user_or_404(request.user, pk)
    status = selectors.group_status(company.pk)
    return render(
        request,
        "funding/company.html",
        {
            "company": company,
            "status": status,
            "records": list(selectors.company_records(company.pk)),
            "declarations": selectors.company_declarations(company.pk),
            "links": list(selectors.company_links(status.company_ids)),
            "link_form": ControlLinkForm(
                company=company, initial={"valid_from": timezone.localdate()}
            ),
            "end_form": ControlLinkEndForm(initial={"ended_on": timezone.localdate()}),
            "can_confirm": has_role(request.user, Role.PROJECT_MANAGER),
            "confirm_form": ConfirmationForm(),
        },
    )


@role_required(Role.PROJECT_MANAGER)
@require_POST
def declaration_confirm(request, pk):
    declaration = declaration_get_for_user_or_404(request.user, pk)
    form = ConfirmationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say why the prior aid left out no longer counts."))
        return redirect("funding:company", pk=declaration.company_id)
    try:
        services.declaration_confirm(
            declaration=declaration, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("The declaration is confirmed and in force now; the ceiling follows it.")
        )
    return redirect("funding:company", pk=declaration.company_id)


def _declaration_page(request, company, *, back_url):
    form = DeclarationForm(request.POST or None)
    formset = PriorAidFormSet(request.POST or None, prefix="aid")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            declaration = services.declaration_record(
                company=company,
                declared_on=form.cleaned_data["declared_on"],
                signatory=form.cleaned_data["signatory"],
                prior_aid=[f.cleaned_data for f in formset if f.has_changed() and f.cleaned_data],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The de-minimis declaration has been recorded."))
            if declaration.needs_confirmation:
                messages.warning(
                    request,
                    _(
                        "It lists less prior aid than the declaration in force. Until the "
                        "project management confirms it, the aid of both counts against the "
                        "ceiling; they have been told."
                    ),
                )
            return redirect(back_url)
    return render(
        request,
        "funding/declaration_form.html",
        {"form": form, "formset": formset, "company": company, "back_url": back_url},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def declaration_create(request, pk):
    company = company_get_for_user_or_404(request.user, pk)
    return _declaration_page(request, company, back_url=reverse("funding:company", args=[pk]))


@staff_required
@require_POST
def link_add(request, pk):
    company = company_get_for_user_or_404(request.user, pk)
    form = ControlLinkForm(request.POST, company=company)
    if not form.is_valid():
        messages.error(
            request, _("Please choose a company, a direction and the day the control began.")
        )
        return redirect("funding:company", pk=pk)
    other = form.cleaned_data["other"]
    controlling, controlled = (
        (company, other) if form.cleaned_data["direction"] == "controls" else (other, company)
    )
    try:
        services.control_link_add(
            controlling=controlling,
            controlled=controlled,
            note=form.cleaned_data["note"],
            valid_from=form.cleaned_data["valid_from"],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The control link has been saved."))
    return redirect("funding:company", pk=pk)


@staff_required
@require_POST
def link_end(request, pk):
    link = control_link_get_for_user_or_404(request.user, pk)
    back = request.POST.get("company")
    company_id = int(back) if back and back.isdigit() else link.controlling_id
    form = ControlLinkEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please enter the day the control ended."))
        return redirect("funding:company", pk=company_id)
    try:
        services.control_link_end(
            link=link,
            actor=request.user,
            ended_on=form.cleaned_data["ended_on"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The control link has been ended; it stays in the history."))
    return redirect("funding:company", pk=company_id)


@require_GET
def certificate(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    record = aid_record_get_for_user_or_404(request.user, pk)
    if not record.certificate_ready:
        raise Http404  # booked, not yet held: no certificate yet
    response = HttpResponse(
        services.certificate_issue(record=record), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="de-minimis-{record.number}.pdf"'
    return response


def _period(request):
    """The period from the query string, else this year; a bad one keeps the form's errors."""
    if not request.GET:
        period = PeriodForm.initial_period()
        return PeriodForm(period), period["start"], period["end"]
    form = PeriodForm(request.GET)
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, None, None


@staff_required
@require_GET
def register(request):
    form, start, end = _period(request)
    records = list(selectors.register_rows(start, end)) if start else []
    return render(
        request,
        "funding/register.html",
        {"form": form, "records": records, "start": start, "end": end},
        status=200 if start else 400,
    )


@staff_required
@require_GET
def register_csv(request):
    form, start, end = _period(request)
    if start is None:
        return HttpResponse(_("Please give a valid period."), status=400, content_type="text/plain")
    response = HttpResponse(
        exports.register_csv(selectors.register_rows(start, end)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="de-minimis-register-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    )
    return response


# Indicator code, figure key, label.
ERDF_ROWS = [
    ("RCO01 / CO01", "supported", gettext_lazy("Enterprises supported")),
    ("RCO01 / CO01", "micro", gettext_lazy("of which micro enterprises")),
    ("RCO01 / CO01", "small", gettext_lazy("of which small enterprises")),
    ("RCO01 / CO01", "medium", gettext_lazy("of which medium-sized enterprises")),
    ("RCO01 / CO01", "large", gettext_lazy("of which large enterprises")),
    ("RCO01 / CO01", "unknown", gettext_lazy("of which without SME figures")),
    ("RCO04 / CO04", "supported", gettext_lazy("Enterprises with non-financial support")),
    ("", "workshops", gettext_lazy("Workshops held")),
    ("", "hours", gettext_lazy("Consulting hours")),
    ("", "workshop_participants", gettext_lazy("Workshop participants")),
    ("", "forum_participants", gettext_lazy("Forum participants (signed participant lists)")),
]


def _figure(report, key):
    if key in report["by_class"]:
        return report["by_class"][key]
    if key == "unknown":
        return report["unknown_class"]
    return report[key]


def _erdf_rows(report):
    return [(code, key, label, _figure(report, key)) for code, key, label in ERDF_ROWS]


@staff_required
@require_GET
def erdf(request):
    form, start, end = _period(request)
    report = selectors.erdf_report(start, end) if start else None
    return render(
        request,
        "funding/erdf.html",
        {
            "form": form,
            "report": report,
            "rows": _erdf_rows(report) if report else [],
            "query": request.GET.urlencode(),
            "erdf_projects": ErdfProject.objects.all(),
        },
        status=200 if start else 400,
    )


@staff_required
@require_GET
def erdf_evidence(request, figure):
    if figure not in selectors.FIGURES:
        raise Http404
    form, start, end = _period(request)
    if start is None:
        return redirect("funding:erdf")
    report = selectors.erdf_report(start, end)
    label = next(label for _code, key, label in ERDF_ROWS if key == figure)
    return render(
        request,
        "funding/erdf_evidence.html",
        {
            "report": report,
            "figure": figure,
            "label": label,
            "value": _figure(report, figure),
            "kind": selectors.FIGURES[figure],
            "rows": selectors.erdf_evidence(report, figure),
            "query": request.GET.urlencode(),
        },
    )


@staff_required
@require_GET
def erdf_xlsx(request):
    form, start, end = _period(request)
    if start is None:
        return HttpResponse(_("Please give a valid period."), status=400, content_type="text/plain")
    report = selectors.erdf_report(start, end)
    labels = [(code, label, value) for code, _key, label, value in _erdf_rows(report)]
    response = HttpResponse(
        exports.erdf_xlsx(report, labels),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="efre-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    )
    return response


# --- company users ----------------------------------------------------------------------


def _own_company(user):
    if not user.company_id:
        raise Http404
    return user.company


@company_user_required
@require_GET
def my_funding(request):
    company = _own_company(request.user)
    return render(
        request,
        "funding/my.html",
        {
            "company": company,
            "headroom": selectors.headroom(company.pk),
            "records": list(selectors.company_records(company.pk)),
            "declarations": selectors.company_declarations(company.pk),
        },
    )


@company_user_required
@require_http_methods(["GET", "POST"])
def my_declaration(request):
    company = _own_company(request.user)
    return _declaration_page(request, company, back_url=reverse("funding:my"))
