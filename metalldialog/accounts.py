from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.utils.translation import gettext_lazy as _

from .second_factor import SETUP_PENDING, just_set_up


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by staff or by a company for its colleagues, never by sign-up."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # allauth's German catalogue lacks it; shown after too many wrong authenticator codes.
        "too_many_login_attempts": _(
            "Too many failed attempts. Please wait a few minutes and try again."
        ),
    }

    def is_open_for_signup(self, request):
        return False

    def pre_authenticate(self, request, **credentials):
        """Failed passwords are counted by django-axes per (e-mail, IP address)
        (core.lockout); allauth's own count would lock an account from every address."""
        return None

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Staff setting up their required authenticator app after logging in are not asked
        for their password a second time (the set-up is all their session reaches), nor to
        see the recovery codes in the minutes after the set-up."""
        request = context.request
        setting_up = (
            app == "allauth.mfa"
            and request is not None
            and request.user.is_authenticated
            and (request.session.get(SETUP_PENDING) or just_set_up(request.user))
        )
        if setting_up:
            return False
        return super().is_reauthentication_required(app=app, **kwargs)
