"""Two-factor login (allauth's MFA: TOTP with recovery codes), required for staff.

Staff (cluster managers, project managers, the administrator) hold personal data and funding
records: they log in with a password or an e-mailed code and then an authenticator app's
code. allauth asks for the second factor of everybody who has one; it has no switch that
makes one required, so a staff login without a TOTP authenticator is sent to the set-up page
and reaches nothing else until it has one (SecondFactorSetupMiddleware). Company users may
set one up; they are not made to.

Whether a login still has to set up its authenticator is decided at login and kept in the
session: once it has one, the check costs no query per request.
"""

from datetime import timedelta

from allauth.account import app_settings as account_settings
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils import timezone

from core.roles import is_staff_role

SETUP_PENDING = "second_factor_setup_pending"  # session key
SETUP_URL_NAME = "mfa_activate_totp"
# What a staff login without an authenticator may still reach: the set-up page, what it
# leads to (re-authentication, the recovery codes), the language switch and logging out.
REACHABLE_DURING_SETUP = {
    SETUP_URL_NAME,
    "mfa_index",
    "mfa_reauthenticate",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "account_reauthenticate",
    "account_logout",
    "set_language",
    "healthz",
}


def second_factor_required(user) -> bool:
    return bool(user.is_superuser or user.is_staff or is_staff_role(user))


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def setup_pending(user) -> bool:
    return second_factor_required(user) and not has_totp(user)


def just_set_up(user) -> bool:
    """Whether the login's authenticator app was set up within the re-authentication window."""
    since = timezone.now() - timedelta(seconds=account_settings.REAUTHENTICATION_TIMEOUT)
    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP, created_at__gte=since
    ).exists()


def totp_enable(*, user, secret: str) -> Authenticator:
    """Gives a login a TOTP authenticator with a known base32 secret, unless it has one:
    the demo logins of `make run` (their secret is printed beside them)."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return existing
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)}
    )


@receiver(user_logged_in, dispatch_uid="second_factor.remember_setup_pending")
def remember_setup_pending(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SETUP_PENDING] = setup_pending(user)


class SecondFactorSetupMiddleware:
    """Sends staff logins without a TOTP authenticator to the set-up page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        if request.session.get(SETUP_PENDING) is False:
            return None
        # Pending, or a session from before the flag: ask the database (only until set up).
        pending = request.session[SETUP_PENDING] = setup_pending(request.user)
        if not pending:
            return None
        if request.resolver_match.url_name in REACHABLE_DURING_SETUP:
            return None
        return redirect(SETUP_URL_NAME)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Staff keep their authenticator app (they may replace it by setting up anew after
        an administrator removed the old one); company users may remove theirs."""
        if authenticator.type == Authenticator.Type.TOTP:
            return not second_factor_required(authenticator.user)
        return True
