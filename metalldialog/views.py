import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.roles import Role, has_role
from operations.selectors import last_backup_report

from . import start, start_cache
from .celery import app as celery_app

log = logging.getLogger(__name__)
HEALTH_CACHE_KEY = "healthz"


def home(request):
    """The start page: a landing page for visitors; for each role what to act on today."""
    user = request.user
    context = {}
    if has_role(user, Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER):
        context["staff_section"] = start_cache.staff_section(request)
    elif has_role(user, Role.COMPANY_USER) and user.company_id:
        context["company"] = user.company
        context["company_todo"] = start.company_user(user.company, user=user)
    return render(request, "home.html", context)


@login_required
def login_email_fixed(request):
    """Logins do not change their own e-mail address: it names the person in the network (a
    company login is one of its company's contacts) and a code to it is a way in, so a taken
    over session must not redirect it. The cluster management changes it."""
    return render(request, "account/email_fixed.html")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means "not reachable" here
        log.exception("healthz: database check failed")
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # any failure means "not reachable" here
        log.exception("healthz: broker check failed")
        return False


def _health_checks() -> dict:
    """The reachability of the database and the broker (and the last backup), kept for
    HEALTHZ_CACHE_SECONDS in the cache: probes every few seconds from every load balancer must
    not each open a broker connection. Without a reachable cache every call checks."""
    try:
        cached = cache.get(HEALTH_CACHE_KEY)
    except Exception:  # the cache is down (it may be the broker's Redis): check directly
        cached = None
    if cached is not None:
        return cached
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    if checks["database"]:
        checks["backup"] = last_backup_report()
    try:
        cache.set(HEALTH_CACHE_KEY, checks, settings.HEALTHZ_CACHE_SECONDS)
    except Exception:  # as above
        log.warning("healthz: the result could not be cached")
    return checks


@never_cache
@require_GET
def healthz(request):
    checks = _health_checks()
    # The age of the last backup is reported, not judged: a missing backup is not an outage.
    backup = checks.pop("backup", None)
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "error"} | {
        name: "ok" if ok else "unreachable" for name, ok in checks.items()
    }
    if backup:
        body["backup"] = backup
    return JsonResponse(body, status=200 if healthy else 503)
