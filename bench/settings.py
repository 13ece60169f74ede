"""Settings of the app under benchmark: production-like, plus the baseline views."""

import os

from bench.harness import bench_database_url  # stdlib only

# Derived once and inherited by the server and worker processes (which import this again).
os.environ.setdefault(
    "BENCH_DATABASE_URL",
    bench_database_url(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/metalldialog")
    ),
)
os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-secret-key-not-for-production-0123456789abcdefgh")
os.environ.setdefault("DJANGO_DEBUG", "false")

from metalldialog.settings.base import *  # noqa: E402,F403
from metalldialog.settings.base import STORAGES  # noqa: E402

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Plain names: the benchmark does not serve static files, so no collectstatic is needed; each
# URL worked out once per process, as production's storage does.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "core.static_storage.RememberedUrlStaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "root": {"level": "WARNING"}}

# Whitenoise expects the folder collectstatic fills; the bench serves no static files.
os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405
