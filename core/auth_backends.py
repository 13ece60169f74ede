"""The project's authentication backends: Django's and allauth's, reading the login of each
request from the cache (core.login_cache) with its roles, so a logged-in page asks the
database nothing before its own work."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend

from core.login_cache import login_cached, login_remember
from core.roles import roles_of


class CachedLoginMixin:
    def get_user(self, user_id):
        user = login_cached(user_id)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            roles_of(user)  # read once, kept on the object and so in the cache with it
            login_remember(user)
        return user if self.user_can_authenticate(user) else None


class CachedModelBackend(CachedLoginMixin, ModelBackend):
    pass


class CachedAllauthBackend(CachedLoginMixin, AllauthBackend):
    pass
