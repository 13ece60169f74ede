"""Transitional: the old registration call, until every app declares its kinds in
outbox.catalogue."""

from .catalogue import MailKind, all_types, get, kind_label, registered  # noqa: F401
from .catalogue import register as _register


def register(*, kind, label, template, sample=None, placeholders=None) -> None:
    _register(
        MailKind(
            kind=kind, label=label, template=template, sample=sample, placeholders=placeholders
        )
    )
