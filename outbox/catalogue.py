"""The one catalogue of mail kinds: each kind declared once, by the app that sends it.

Every app declares its kinds in its own mails module (forums.mails, sefex.mails, ...) as
`MailKind` values and registers them in its AppConfig.ready:

    CONFIRMED = MailKind(
        kind="forum_registration_confirmed", label=_("Forum: registration confirmed"),
        template="emails/forums_registration_confirmed", recipients=..., context=...,
        method=..., calendar=..., sample=..., placeholders=...)
    catalogue.register(*mails.KINDS)

A kind says who receives it (`recipients(obj)`), what its template is filled with
(`context(obj, recipient, **extra)`), whether it carries a calendar entry (`method`, and the
app's .ics builder `calendar`), what it is about (`related`, default the object) and whose it
is (`scope`). `MailKind.queue` writes one outbox row per recipient; the staff's page of mail
templates and the mail text editor (outbox.mailtexts) read `label`, `sample` and
`placeholders`. `sample` returns a template context built from unsaved objects (no database
writes); without `placeholders` (name → description) the editor reads them off the sample.
Templates under templates/emails/ that no kind declares are listed too, with the base
context only.
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _

from .rendering import template_base
from .services import mail_queue

log = logging.getLogger(__name__)

Attachment = tuple[str, bytes, str]


@dataclass(frozen=True)
class Recipient:
    """Who one mail goes to: an address, the name the mail greets, its language, and the
    contact behind it (None for a login or a staff member)."""

    email: str
    name: str = ""
    language: str = "de"
    contact: Any = None

    @classmethod
    def of_contact(cls, contact) -> "Recipient":
        return cls(contact.email or "", contact.full_name, contact.language or "de", contact)


@dataclass(frozen=True)
class MailKind:
    kind: str
    label: Any
    template: str
    sample: Callable[[], dict] | None = None
    placeholders: dict | None = None
    recipients: Callable[[Any], list[Recipient]] | None = None
    # context(obj, recipient, **extra) -> the template's context
    context: Callable[..., dict] | None = None
    # method(obj, **extra) -> the iTIP method of the calendar entry, or None for none
    method: Callable[..., str | None] | None = None
    # calendar(obj, recipient, method) -> the .ics attachment
    calendar: Callable[[Any, Recipient, str], Attachment] | None = None
    # attachments(obj) -> what every mail of the kind carries besides a calendar entry
    attachments: Callable[[Any], Sequence] | None = None
    related: Callable[[Any], Any] | None = None
    scope: Callable[[Any], Any] | None = None
    # identity(obj) -> who signs the mail, where neither related nor scope names a cluster
    identity: Callable[[Any], Any] | None = None
    # Its mails are signed by a cluster, so each cluster may word them (outbox.mailtexts);
    # the others are the agency's and have the agency-wide text only.
    per_cluster: bool = False

    def __post_init__(self):
        object.__setattr__(self, "template", template_base(self.template))

    def arguments(self, obj, recipient: Recipient, *, key="", due_at=None, **extra) -> dict:
        """The outbox's arguments for the mail to one recipient (`mail_queue`, `mail_build`)."""
        method = self.method(obj, **extra) if self.method else None
        attachments = list(self.attachments(obj)) if self.attachments else []
        if method and self.calendar:
            attachments.append(self.calendar(obj, recipient, method))
        return {
            "kind": self.kind,
            "related": self.related(obj) if self.related else obj,
            "recipient_email": recipient.email,
            "contact": recipient.contact,
            "language": recipient.language,
            "template": self.template,
            "context": self.context(obj, recipient, **extra) if self.context else {},
            "attachments": attachments,
            "due_at": due_at,
            "key_suffix": key,
            "scope": self.scope(obj) if self.scope else None,
            "identity": self.identity(obj) if self.identity else None,
        }

    def queue_one(self, obj, recipient: Recipient | None = None, **options):
        """Queues the mail to `recipient` (default: the kind's only recipient); returns the row,
        or None when it exists already. An unusable address raises ValidationError."""
        if recipient is None:
            (recipient,) = self.recipients(obj)
        return mail_queue(**self.arguments(obj, recipient, **options))

    def queue(self, obj, *, key="", due_at=None, recipients=None, **extra) -> int:
        """Queues one row per recipient (the kind's, or those given); returns how many are new.
        A recipient without an address, or with an unusable one, is left out and logged."""
        queued = 0
        for recipient in self.recipients(obj) if recipients is None else recipients:
            if not recipient.email:
                log.info("%s: recipient without address, mail %s skipped", _name(obj), self.kind)
                continue
            try:
                mail = self.queue_one(obj, recipient, key=key, due_at=due_at, **extra)
            except ValidationError:
                log.warning("%s: mail %s not queued", _name(obj), self.kind, exc_info=True)
                continue
            queued += mail is not None
        return queued


def _name(obj) -> str:
    """ "registration 12", for the log."""
    meta = getattr(obj, "_meta", None)
    return f"{meta.model_name if meta else type(obj).__name__} {getattr(obj, 'pk', '')}"


_REGISTRY: dict[str, MailKind] = {}


def register(*kinds: MailKind) -> None:
    """Adds an app's kinds; a kind another declaration holds already is a mistake."""
    for mail in kinds:
        known = _REGISTRY.get(mail.kind)
        if known is not None and known is not mail:
            raise ImproperlyConfigured(f"The mail kind {mail.kind!r} is declared twice.")
        _REGISTRY[mail.kind] = mail


def get(kind: str) -> MailKind | None:
    return _REGISTRY.get(kind)


def kind_label(kind: str) -> str:
    entry = _REGISTRY.get(kind)
    return str(entry.label) if entry else kind


def registered() -> list[MailKind]:
    return sorted(_REGISTRY.values(), key=lambda t: t.kind)


def template_names() -> list[str]:
    """Every "emails/<name>" that has a subject template, from the project's template folder."""
    names = set()
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(folder, "emails").glob("*_subject.txt"):
            names.add("emails/" + path.name.removesuffix("_subject.txt"))
    return sorted(names)


def all_types() -> list[MailKind]:
    """Registered kinds first, then templates no kind declares."""
    types = registered()
    known = {t.template for t in types}
    types += [
        MailKind(kind="", label=name.removeprefix("emails/"), template=name)
        for name in template_names()
        if name not in known
    ]
    return types


# The outbox's own mail: a test of the delivery (and of an edited text, to oneself).
OUTBOX_TEST = MailKind(
    kind="outbox_test",
    label=_("Test mail"),
    template="emails/outbox_test",
    sample=lambda: {"name": "Anna Alpha", "link": settings.SITE_URL},
)
KINDS = (OUTBOX_TEST,)
