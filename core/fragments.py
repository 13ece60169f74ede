"""Sections other apps add to a page of a lower app, without the lower app importing them.

A page offers a *place* (a name such as "company" for the staff company page, or
"sefex.request" for the workshop request form); an app above registers its section for that
place once, in its ``AppConfig.ready()``::

    from core.fragments import register_fragment

    register_fragment(
        "sefex.request",
        "funding",
        title=_("De-minimis aid"),
        template="funding/fragments/request_headroom.html",
        context=lambda company, request: {"headroom": selectors.headroom(company.pk)},
        order=20,
    )

The page renders every registered section with ``{% fragments "place" obj %}`` (template tag
library ``fragments``); the company page uses ``{% company_sections company %}``. Each
section's ``context`` callable gets the page's object and the request and returns the
template's context; it should run a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

COMPANY = "company"


@dataclass(frozen=True)
class Fragment:
    key: str
    title: Any  # str or lazy translation
    template: str
    context: Callable[[Any, Any], dict]
    order: int = 100
    # Optional: who may see it (request -> bool); None means whoever sees the page.
    visible: Callable[[Any], bool] | None = None


# Kept under this name too: the company page's sections were the first fragments.
CompanySection = Fragment

_places: dict[str, dict[str, Fragment]] = {}


def register_fragment(
    place: str,
    key: str,
    *,
    title,
    template: str,
    context: Callable[[Any, Any], dict],
    order: int = 100,
    visible: Callable[[Any], bool] | None = None,
) -> Fragment:
    """Adds (or replaces, by key: ``ready()`` may run twice) a section of a place."""
    fragment = Fragment(key, title, template, context, order, visible)
    _places.setdefault(place, {})[key] = fragment
    return fragment


def unregister_fragment(place: str, key: str) -> None:
    _places.get(place, {}).pop(key, None)


def fragments(place: str) -> list[Fragment]:
    return sorted(_places.get(place, {}).values(), key=lambda f: (f.order, f.key))


def render_fragments(place: str, obj, request, *, object_name: str = "object") -> list[dict]:
    """Each visible section of the place as {"key", "title", "html"}, in order; a section
    whose template renders nothing is left out."""
    rendered = []
    for fragment in fragments(place):
        if fragment.visible is not None and not fragment.visible(request):
            continue
        context = {object_name: obj, "section_key": fragment.key}
        context.update(fragment.context(obj, request))
        html = render_to_string(fragment.template, context, request=request)
        if not html.strip():
            continue  # nothing to say here (e.g. a programme without de-minimis aid)
        rendered.append({"key": fragment.key, "title": fragment.title, "html": html})
    return rendered


def register_company_section(key: str, **options) -> Fragment:
    """A section of the staff company page (see ``register_fragment``)."""
    return register_fragment(COMPANY, key, **options)


def unregister_company_section(key: str) -> None:
    unregister_fragment(COMPANY, key)


def company_sections() -> list[Fragment]:
    return fragments(COMPANY)


def render_company_sections(company, request) -> list[dict]:
    return render_fragments(COMPANY, company, request, object_name="company")
