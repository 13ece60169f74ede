"""Token authentication for integrations: `Authorization: Token <secret>` (or `Bearer`)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from core.auth_backends import CachedModelBackend

from . import services
from .keys import hash_secret
from .models import ApiToken

KEYWORDS = (b"token", b"bearer")
_logins = CachedModelBackend()


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        token = (
            ApiToken.objects.filter(key_hash=hash_secret(secret), revoked_at__isnull=True)
            .only("pk", "user_id", "last_used_at")
            .order_by()
            .first()
        )
        # The login comes from the login cache with its roles, as for a session (dropped
        # when it is saved, so a deactivated login fails at once); None when inactive.
        user = None if token is None else _logins.get_user(token.user_id)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token.user = user
        services.api_token_touch(token=token)
        return user, token

    def authenticate_header(self, request):
        # Makes unauthenticated requests answer 401 (with this challenge) instead of 403.
        return self.keyword
