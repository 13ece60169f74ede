"""The main navigation, rendered once per kind of login and language and then reused: it is
on every page, and its dozen links (URL reversing, translations) cost more than a small page's
own work. It depends on nothing but the roles, the staff flag and the language."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix, get_urlconf
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


class InvariantNode(template.Node):
    # Its nodes stay out of the walk `{% extends %}` makes through the layout on every render
    # to find the blocks (there are none inside, see `invariant`): most of the layout's nodes
    # are in invariant parts, so the walk was a tenth of an empty page's rendering.
    child_nodelists = ()

    def __init__(self, nodelist):
        self.nodelist = nodelist
        # Kept on the node: it lives as long as the (cached) template it belongs to.
        self.rendered: dict[tuple, str] = {}

    def render(self, context):
        key = (get_language(), get_script_prefix(), get_urlconf())
        html = self.rendered.get(key)
        if html is None:
            # No variable of the page reaches the part: what it shows can only come from
            # the language, the URLs and the static files.
            html = self.rendered[key] = self.nodelist.render(context.new())
        return html


@register.tag
def invariant(parser, token):
    """{% invariant %}...{% endinvariant %}: a part of the layout that is the same on every page
    in a language (static files, links, fixed texts), rendered once per language and process."""
    nodelist = parser.parse(("endinvariant",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        # Rendered once for every page, it could not show what a page puts in the block.
        raise template.TemplateSyntaxError("{% invariant %} cannot contain a {% block %}")
    return InvariantNode(nodelist)
