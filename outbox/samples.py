"""Which mails exist, with a human name and sample data for the staff's template page.

Apps register their mails (usually in AppConfig.ready):

    from outbox.samples import register
    register(kind="forum_invitation", label=_("Forum invitation"),
             template="emails/forum_invitation", sample=lambda: {...context...})

`sample` returns a template context built from unsaved objects (no database writes).
`placeholders` (name → description) lists what staff may write into the kind's edited text
(outbox.mailtexts); without it the list is read off the sample context.
Templates under templates/emails/ without a registration are listed too, rendered
with the base context only.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .rendering import template_base


@dataclass(frozen=True)
class MailType:
    kind: str
    label: str
    template: str
    sample: Callable[[], dict] | None = None
    placeholders: dict | None = None


_REGISTRY: dict[str, MailType] = {}


def register(
    *,
    kind: str,
    label,
    template: str,
    sample: Callable[[], dict] | None = None,
    placeholders: dict | None = None,
) -> None:
    _REGISTRY[kind] = MailType(
        kind=kind,
        label=label,
        template=template_base(template),
        sample=sample,
        placeholders=placeholders,
    )


def get(kind: str) -> MailType | None:
    return _REGISTRY.get(kind)


def kind_label(kind: str) -> str:
    entry = _REGISTRY.get(kind)
    return str(entry.label) if entry else kind


def registered() -> list[MailType]:
    return sorted(_REGISTRY.values(), key=lambda t: t.kind)


def template_names() -> list[str]:
    """Every "emails/<name>" that has a subject template, from the project's template folder."""
    names = set()
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(folder, "emails").glob("*_subject.txt"):
            names.add("emails/" + path.name.removesuffix("_subject.txt"))
    return sorted(names)


def all_types() -> list[MailType]:
    """Registered mails first, then templates nobody registered."""
    types = registered()
    known = {t.template for t in types}
    types += [
        MailType(kind="", label=name.removeprefix("emails/"), template=name)
        for name in template_names()
        if name not in known
    ]
    return types


register(
    kind="outbox_test",
    label=_("Test mail"),
    template="emails/outbox_test",
    sample=lambda: {"name": "Anna Alpha", "link": settings.SITE_URL},
)
