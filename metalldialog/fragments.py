"""Sections other apps add to the staff company page, without members importing them.

An app registers its section once, in its ``AppConfig.ready()``::

    from metalldialog.fragments import register_company_section

    register_company_section(
        "forums",
        title=_("Forums attended"),
        template="forums/fragments/company_forums.html",
        context=lambda company, request: {"registrations": selectors.for_company(company)},
        order=20,
    )

The company page renders every registered section with ``{% company_sections company %}``
(template tag library ``fragments``). Each section's ``context`` callable gets the company
and the request and returns the template's context; it should run a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string


@dataclass(frozen=True)
class CompanySection:
    key: str
    title: Any  # str or lazy translation
    template: str
    context: Callable[[Any, Any], dict]
    order: int = 100
    # Optional: who may see it (request -> bool); None means whoever sees the company page.
    visible: Callable[[Any], bool] | None = None


_company_sections: dict[str, CompanySection] = {}


def register_company_section(
    key: str,
    *,
    title,
    template: str,
    context: Callable[[Any, Any], dict],
    order: int = 100,
    visible: Callable[[Any], bool] | None = None,
) -> CompanySection:
    """Adds (or replaces, by key: ``ready()`` may run twice) a section of the company page."""
    section = CompanySection(key, title, template, context, order, visible)
    _company_sections[key] = section
    return section


def unregister_company_section(key: str) -> None:
    _company_sections.pop(key, None)


def company_sections() -> list[CompanySection]:
    return sorted(_company_sections.values(), key=lambda s: (s.order, s.key))


def render_company_sections(company, request) -> list[dict]:
    """Each visible section as {"key", "title", "html"}, in order."""
    rendered = []
    for section in company_sections():
        if section.visible is not None and not section.visible(request):
            continue
        context = {"company": company, "section_key": section.key}
        context.update(section.context(company, request))
        html = render_to_string(section.template, context, request=request)
        rendered.append({"key": section.key, "title": section.title, "html": html})
    return rendered
