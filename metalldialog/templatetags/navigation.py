"""The main navigation, rendered once per kind of login and language and then reused: it is
on every page, and its dozen links (URL reversing, translations) cost more than a small page's
own work. It depends on nothing but the roles, the staff flag and the language."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.roles import Role, roles_of

register = template.Library()
_rendered: dict[tuple, str] = {}


def navigation_flags(user) -> dict:
    names = roles_of(user)
    return {
        "is_cluster_manager": Role.CLUSTER_MANAGER.value in names,
        "is_project_manager": Role.PROJECT_MANAGER.value in names,
        "is_company_user": Role.COMPANY_USER.value in names,
        "user": {"is_staff": user.is_staff},
    }


@register.simple_tag(takes_context=True)
def navigation(context):
    """The role's entries of the main navigation (includes/nav_items.html)."""
    flags = navigation_flags(context["user"])
    key = (
        tuple(sorted((k, v) for k, v in flags.items() if k != "user")),
        flags["user"]["is_staff"],
        get_language(),
        get_script_prefix(),
    )
    html = None if settings.DEBUG else _rendered.get(key)
    if html is None:
        # Rendered with autoescaping from the fixed template; safe to embed.
        html = _rendered[key] = mark_safe(render_to_string("includes/nav_items.html", flags))  # noqa: S308
    return html
