"""The logged-in user of a request, from the cache instead of a query.

Every logged-in request loads its login (django.contrib.auth.get_user): one round trip to the
database and the ORM's work, more than a small page's own. The login is kept in the cache,
with its roles, and dropped whenever it changes: saved (password, active flag, e-mail, last
login), deleted, or its groups changed (core.roles.roles_forget, metalldialog.signals).
Django still checks the session's password hash against the cached row, so a changed password
logs the other sessions out at their next request, as without the cache. The password's hash
itself is not cached: the row carries the session's hash of it (an HMAC with the secret key,
what the sessions hold anyway), and reads the password from the database if a request needs
it (a password change checking the old one).
"""

import copy

from django.core.cache import cache
from django.db import transaction

# A bound on how long a change made without a signal (a queryset update) could go unseen.
LOGIN_CACHE_SECONDS = 300


def login_cache_key(user_id) -> str:
    return f"login:{user_id}"


def login_cached(user_id):
    """The cached login, or None."""
    return cache.get(login_cache_key(user_id))


# What a request may have hung on the object (related rows, permissions, the login's backend):
# never cached with it, each request reads those afresh.
REQUEST_ONLY = ("_prefetched_objects_cache", "_perm_cache", "_user_perm_cache", "_group_perm_cache")


SESSION_AUTH_HASH = "_session_auth_hash"


def login_remember(user) -> None:
    """Caches the login's own row (and its roles, read beforehand), nothing hung on it, and
    without its password hash (left deferred)."""
    row = copy.copy(user)
    row._state = copy.copy(user._state)
    row._state.fields_cache = {}
    for name in (*REQUEST_ONLY, "backend"):
        row.__dict__.pop(name, None)
    row.__dict__[SESSION_AUTH_HASH] = user.get_session_auth_hash()
    row.__dict__.pop("password", None)
    cache.set(login_cache_key(user.pk), row, LOGIN_CACHE_SECONDS)


def logins_forget(user_ids) -> None:
    """Drops these logins from the cache: at once, and again after the commit, so a request
    that read the old row meanwhile cannot keep it cached."""
    keys = [login_cache_key(pk) for pk in user_ids]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))
