from django import template
from django.utils.safestring import mark_safe

from core.fragments import render_company_sections, render_fragments

register = template.Library()


def _safe(sections: list[dict]) -> dict:
    for section in sections:
        # Rendered by Django templates with autoescaping on; safe to embed.
        section["html"] = mark_safe(section["html"])  # noqa: S308
    return {"sections": sections}


@register.inclusion_tag("includes/company_sections.html", takes_context=True)
def company_sections(context, company):
    """Renders every section registered with ``register_company_section`` for this company."""
    return _safe(render_company_sections(company, context["request"]))


@register.inclusion_tag("includes/company_sections.html", takes_context=True)
def fragments(context, place, obj):
    """Renders every section registered with ``register_fragment`` for this place."""
    return _safe(render_fragments(place, obj, context["request"]))


@register.simple_tag(takes_context=True)
def fragments_bare(context, place, obj):
    """The sections of a place without headings, for documents (a PDF has no request)."""
    sections = render_fragments(place, obj, context.get("request"))
    # Rendered by Django templates with autoescaping on; safe to embed.
    return mark_safe("".join(section["html"] for section in sections))  # noqa: S308
