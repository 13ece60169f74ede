"""Pages of the contact history (thin: find the object, call a service, redirect)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.roles import Role, role_required
from members.permissions import company_get_for_user_or_404

from . import selectors, services
from .forms import ActivityForm
from .permissions import task_get_or_404

STAFF = (Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER)


def _next_or(request, fallback: str):
    """Back to the page the button was on (a path of this site), else to `fallback`."""
    target = request.POST.get("next", "")
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


@role_required(*STAFF)
def activity_create(request, pk):
    company = company_get_for_user_or_404(request.user, pk)
    form = ActivityForm(request.POST or None, company=company, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_log(
                actor=request.user,
                company=company,
                kind=data["kind"],
                happened_on=data["happened_on"],
                topic=data["topic"],
                text=data["text"],
                contacts=data["contacts"],
                follow_up=form.follow_up(),
                cluster=data["cluster"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The activity is recorded."))
            return redirect(reverse("members:company", args=[company.pk]) + "#section-engagement")
    return render(request, "crm/activity_form.html", {"form": form, "company": company})


@role_required(*STAFF)
@require_GET
def my_tasks(request):
    return render(request, "crm/my_tasks.html", selectors.my_tasks(request.user))


@role_required(*STAFF)
@require_POST
def task_done(request, pk):
    task = services.task_done(actor=request.user, task=task_get_or_404(request.user, pk))
    messages.success(request, _("Done: %(title)s") % {"title": task.title})
    return _next_or(request, reverse("crm:my_tasks"))


@role_required(*STAFF)
@require_POST
def task_reopen(request, pk):
    task = services.task_reopen(actor=request.user, task=task_get_or_404(request.user, pk))
    messages.success(request, _("Open again: %(title)s") % {"title": task.title})
    return _next_or(request, reverse("crm:my_tasks"))


@role_required(Role.CLUSTER_MANAGER)
@require_POST
def contact_take_up(request, pk):
    company = company_get_for_user_or_404(request.user, pk)
    task = services.contact_take_up(actor=request.user, company=company)
    if task is None:
        messages.info(
            request,
            _("%(company)s has an open follow-up task already.") % {"company": company},
        )
    else:
        messages.success(
            request,
            _("A task for you: %(title)s. It is in your tasks.") % {"title": task.title},
        )
    return _next_or(request, reverse("cockpit:sleeping"))
