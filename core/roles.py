"""The three roles, kept as auth groups, and the checks views use."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from core.login_cache import logins_forget


class Role(models.TextChoices):
    # The value is the group's name in the database.
    CLUSTER_MANAGER = "Clustermanagement", _("Cluster management")
    PROJECT_MANAGER = "SEFEX-Projektleitung", _("SEFEX project management")
    COMPANY_USER = "Unternehmensnutzer", _("Company user")
    # Adds no rights of its own: widens a cluster manager from the granted clusters
    # (members.ClusterGrant) to every cluster of the agency.
    AGENCY_WIDE = "Agenturweit", _("Agency-wide (all clusters)")


# Every logged-in page asks for the roles (navigation, checks): they come from the cache, and
# a change of a login's groups drops its entry (metalldialog.signals).
ROLES_CACHE_SECONDS = 600


def roles_cache_key(user_id: int) -> str:
    return f"roles:{user_id}"


def roles_of(user) -> frozenset[str]:
    """The user's role names: from the cache, read once per request object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        names = cache.get(roles_cache_key(user.pk))
        if names is None:
            names = sorted(user.groups.values_list("name", flat=True))
            cache.set(roles_cache_key(user.pk), names, ROLES_CACHE_SECONDS)
        cached = frozenset(names)
        user._role_names = cached
    return cached


def roles_forget(user_ids) -> None:
    """Drops the cached roles of these logins (their groups changed), and the cached logins
    that carry them: at once, and again after the commit, so a request reading the old groups
    meanwhile cannot keep them cached."""
    user_ids = list(user_ids)
    keys = [roles_cache_key(pk) for pk in user_ids]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))
    logins_forget(user_ids)


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & {r.value for r in roles})


def is_staff_role(user) -> bool:
    return has_role(user, Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER)


def is_agency_admin(user) -> bool:
    """Manages staff logins and roles (in the admin); a superuser today."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def role_required(*roles: Role):
    """Anonymous users go to the login page; logged-in users without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# What each role may do in the Django admin, as "app_label.codename" patterns
# ("members.*" = every permission of the app, "members.view_*" = read only).
# Apps add their patterns here as they land.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.CLUSTER_MANAGER: [
        "members.*",
        "django_celery_beat.view_*",
        "outbox.view_*",
        "outbox.*_suppression",
        "forums.*",
        "sefex.view_*",
        "funding.*",
        "api.*",
        "privacy.view_*",
        "privacy.*_privacynotice",
        "core.view_auditevent",
        "circulars.view_*",
    ],
    Role.PROJECT_MANAGER: [
        "members.view_*",
        "outbox.view_mail",
        "outbox.view_batch",
        "forums.view_*",
        "sefex.*",
        "funding.*",
    ],
    Role.COMPANY_USER: [],
    Role.AGENCY_WIDE: [],
}


# Never given to a role, whatever the patterns above say: logins, roles and permissions are the
# agency administrator's (a role that could change them could make itself superuser).
AGENCY_ADMIN_ONLY = [
    "members.add_user",
    "members.change_user",
    "members.delete_user",
    "members.*_clustergrant",  # which clusters a manager runs: their reach, like a role
    "auth.*",
]


def sync_roles(**kwargs) -> None:
    """Creates the role groups and gives them their permissions (run after every migrate)."""
    from fnmatch import fnmatchcase

    from django.contrib.auth.models import Group, Permission

    permissions = [
        (f"{app_label}.{codename}", pk)
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    ]
    for role, patterns in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = [
            pk
            for name, pk in permissions
            if any(fnmatchcase(name, p) for p in patterns)
            and not any(fnmatchcase(name, p) for p in AGENCY_ADMIN_ONLY)
        ]
        group.permissions.set(wanted)
