"""Test settings: the real PostgreSQL and Redis on this machine unless overridden."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/metalldialog")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DJANGO_DEBUG", "false")

from .base import *  # noqa: E402,F403
from .base import STORAGES  # noqa: E402

# Tests use the plain storage: no collectstatic run is needed for templates.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Tests see every change at once: public pages are not kept in each process's memory
# (tests/public/test_cache.py turns it on where it is the subject).
PUBLIC_PAGE_LOCAL_SECONDS = 0
