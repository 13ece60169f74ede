"""The staff's part of the start page, kept rendered in the cache.

Its lists (tasks, forums, failed mails, overdue items, sleeping members, the clusters' counts)
cost some 15 ms of queries and rendering, and staff come back to the start page all day. The
rendered part is stored per login, language, day and clusters, with the generation it was made
from; its forms get the browser's own CSRF token when served. Saving or deleting a row of any
model the lists read moves the generation on once the transaction has committed, so the next
visit renders afresh: what someone just did shows at once. Writes that bypass save() (the
sender marking mails sent or failed in bulk, a forum starting) show within TIMEOUT. Without a
reachable cache the part is rendered each time.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from core.roles import Role, has_role, roles_of
from crm.models import Activity, Task
from forums.models import Forum, Registration
from members import selectors as member_selectors
from members.clusters import granted_cluster_ids, sees_every_cluster
from members.models import Cluster, Company, Contact, Relationship
from outbox.models import Mail
from sefex.models import ActionItem, ProposedSlot, Workshop

from . import start

log = logging.getLogger(__name__)

TIMEOUT = 60
GENERATION_KEY = "start:generation"
TEMPLATE = "start/_staff.html"
# What the lists read: a saved or deleted row of one of these renders the part afresh.
READ_MODELS = (
    ActionItem,
    Activity,
    Cluster,
    Company,
    Contact,
    Forum,
    Mail,
    Registration,
    Relationship,
    ProposedSlot,
    Task,
    Workshop,
)


def _render(request, csrf_token) -> str:
    user = request.user
    context = {"clusters": member_selectors.cluster_overview(), "csrf_token": csrf_token}
    if has_role(user, Role.CLUSTER_MANAGER):
        context["cluster_todo"] = start.cluster_manager(user)
    if has_role(user, Role.PROJECT_MANAGER):
        context["sefex_todo"] = start.project_manager(user)
    return render_to_string(TEMPLATE, context, request=request)


def _key(request) -> str:
    user = request.user
    scope = (
        "all" if sees_every_cluster(user) else ",".join(map(str, sorted(granted_cluster_ids(user))))
    )
    roles = ",".join(sorted(roles_of(user)))
    language = translation.get_language() or ""
    return f"start:{user.pk}:{language}:{timezone.localdate().isoformat()}:{roles}:{scope}"


def staff_section(request) -> str:
    """The rendered staff part of the start page, from the cache when nothing it lists changed."""
    token = get_token(request)
    if _changed_in_this_transaction():  # what it changed is not committed: show it, keep nothing
        return mark_safe(_render(request, token))  # noqa: S308 - rendered by the template engine
    key = _key(request)
    try:
        found = cache.get_many([GENERATION_KEY, key])
    except Exception:  # the cache is down: render from the database
        log.warning("start page: cache unreachable, rendered afresh", exc_info=True)
        return mark_safe(_render(request, token))  # noqa: S308 - rendered by the template engine
    generation = found.get(GENERATION_KEY)
    stored = found.get(key)
    if generation is None or stored is None or stored[0] != generation:
        if generation is None:  # the first visit since the cache was emptied
            generation = _first_generation()
        # Rendered after reading the generation: a change committed meanwhile moves it on.
        # The forms' CSRF token is a stand-in, each browser's own put in when served.
        stand_in = secrets.token_hex(16)
        stored = (generation, stand_in, _render(request, stand_in))
        if generation is not None:
            try:
                cache.set(key, stored, TIMEOUT)
            except Exception:
                log.warning("start page: not cached", exc_info=True)
    _generation, stand_in, html = stored
    return mark_safe(html.replace(stand_in, token))  # noqa: S308 - rendered by the template engine


def _first_generation() -> str | None:
    try:
        cache.add(GENERATION_KEY, secrets.token_hex(8), None)
        return cache.get(GENERATION_KEY)
    except Exception:
        return None


def forget() -> None:
    """Every login's next visit renders the part afresh."""
    generation = secrets.token_hex(8)
    try:
        cache.set(GENERATION_KEY, generation, None)
    except Exception:
        log.warning("start page: generation not moved on", exc_info=True)


def _changed_in_this_transaction() -> bool:
    # Each entry of Django's list of callbacks waiting for the commit is (savepoints, func, robust).
    return any(entry[1] is forget for entry in connection.run_on_commit)


def _read_model_changed(sender, **kwargs) -> None:
    if sender is Mail and kwargs.get("created"):
        return  # a mail being queued is not failed: the list of failed mails stays as it is
    # After the commit: a visit meanwhile may still store what it read before, under the
    # generation this replaces.
    transaction.on_commit(forget)


def connect() -> None:
    for model in READ_MODELS:
        post_save.connect(
            _read_model_changed, sender=model, dispatch_uid=f"start:{model._meta.label}:save"
        )
        post_delete.connect(
            _read_model_changed, sender=model, dispatch_uid=f"start:{model._meta.label}:delete"
        )
