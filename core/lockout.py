"""The login lock-out (django-axes): per account and address, with a ceiling per address.

Failed passwords count per (e-mail, IP address): AXES_FAILURE_LIMIT of them lock that account
from that address for AXES_COOLOFF_TIME, and nobody else. Every failure from an address,
whatever e-mail it names, also counts towards LOGIN_IP_FAILURE_LIMIT, a much higher ceiling
against password spraying (a few passwords tried on many accounts). Behind a reverse proxy
every visitor may arrive from the proxy's address unless the proxy depth is configured
(ALLAUTH_TRUSTED_PROXY_COUNT), which is why the ceiling is high.

Settings: AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"], in this order.
"""

from allauth.account.adapter import get_adapter
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Sum


def login_email(request, credentials: dict | None) -> str | None:
    """The e-mail a login attempt names, as axes' username, in one spelling: "Anna@X" and
    "anna@x" are one account and share its counter."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if value is None and request is not None:
        value = request.POST.get("login")
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def client_ip(request) -> str | None:
    """The visitor's address as allauth sees it (its rate limits use the same one): the
    address the outermost trusted proxy saw, or the peer's without proxies. None for a
    request that has none (a login made in code, e.g. the test client's force_login)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits instead of one."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        account, address = (_failures(q) for q in self.get_user_attempts(request, credentials))
        if address >= settings.LOGIN_IP_FAILURE_LIMIT:
            # The address is over its ceiling: every account is locked from it.
            return max(account, settings.AXES_FAILURE_LIMIT)
        return account

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A successful login forgives the account's own failures from this address only.
        Axes would delete the address's failures for every account too, which would let
        anyone with one valid login reset the ceiling and keep guessing other accounts."""
        account_attempts = self.filter_user_attempts(request, credentials)[0]
        count, _ = account_attempts.delete()
        return count
