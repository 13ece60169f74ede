"""Pages for company logins: the cluster management's page per company (thin: find the object
for the user, call a service, redirect) and the set-password page the mailed link opens."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from members.models import User

from . import selectors, services
from .permissions import (
    company_for_logins_or_404,
    contact_for_logins_or_404,
    is_login_manager,
    login_for_manager_or_404,
)


@login_required
@require_GET
def company_logins(request, pk):
    company = company_for_logins_or_404(request.user, pk)
    return render(
        request,
        "logins/company.html",
        {
            "company": company,
            "people": selectors.company_people(company),
            "login_type": ContentType.objects.get_for_model(User).pk,
            "by_cluster_management": is_login_manager(request.user),
        },
    )


def _back(login_or_contact):
    return redirect("logins:company", pk=login_or_contact.company_id)


def _refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
@require_POST
def login_create(request, pk):
    contact = contact_for_logins_or_404(request.user, pk)
    try:
        login = services.login_create(actor=request.user, contact=contact)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("%(name)s has a login now; a link to set the password went to %(email)s.")
            % {"name": contact.full_name, "email": login.email},
        )
    return _back(contact)


def _switch(request, pk, service, message):
    login = login_for_manager_or_404(request.user, pk)
    try:
        service(actor=request.user, login=login)
    except ValidationError as error:
        _refused(request, error)
        return _back(login)
    messages.success(request, message % {"email": login.email})
    if login.pk == request.user.pk and not is_login_manager(request.user):
        return redirect("home")  # gave up its own rights: the page is no longer theirs
    return _back(login)


@login_required
@require_POST
def login_deactivate(request, pk):
    return _switch(
        request, pk, services.login_deactivate, _("The login of %(email)s is deactivated.")
    )


@login_required
@require_POST
def login_reactivate(request, pk):
    return _switch(
        request, pk, services.login_reactivate, _("The login of %(email)s is active again.")
    )


@login_required
@require_POST
def login_admin_grant(request, pk):
    return _switch(
        request,
        pk,
        services.login_admin_grant,
        _("%(email)s is an administrator of the company's logins now."),
    )


@login_required
@require_POST
def login_admin_revoke(request, pk):
    return _switch(
        request,
        pk,
        services.login_admin_revoke,
        _("%(email)s is no longer an administrator of the company's logins."),
    )


@login_required
@require_POST
def login_send_link(request, pk):
    login = login_for_manager_or_404(request.user, pk)
    try:
        services.login_password_link_send(actor=request.user, login=login)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("A link to set the password went to %(email)s.") % {"email": login.email}
        )
    return _back(login)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Django's password-reset confirmation (token checked, then kept in the session only),
    for an active login; the password is saved through the service, which records it."""

    template_name = "logins/set_password.html"
    reset_url_token = "new"  # noqa: S105 - the URL's placeholder once the token is checked
    success_url = reverse_lazy("account_login")
    title = gettext_lazy("Set your password")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        services.login_password_set(login=form.user, password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your password is set. Please log in."))
        return HttpResponseRedirect(self.get_success_url())
