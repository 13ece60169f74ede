"""The mail kinds staff can edit, with their placeholders and sample data, read off the one
catalogue of mail kinds (outbox.catalogue, filled by each app)."""

from django.http import Http404

from .. import catalogue
from ..catalogue import MailKind
from . import placeholders


def editable() -> list[MailKind]:
    """Every registered kind, one per template (two kinds sharing a template share a text)."""
    seen, kinds = set(), []
    for mail_type in catalogue.registered():
        if mail_type.template not in seen:
            seen.add(mail_type.template)
            kinds.append(mail_type)
    return sorted(kinds, key=lambda t: str(t.label))


def get_or_404(kind: str) -> MailKind:
    mail_type = catalogue.get(kind)
    if mail_type is None:
        raise Http404
    return mail_type


def sample_context(mail_type: MailKind) -> dict:
    return mail_type.sample() if mail_type.sample else {}


def placeholders_of(mail_type: MailKind) -> dict[str, str]:
    """name → description: the kind's declared placeholders in their order, else those of its
    sample by name; the sender's last."""
    if mail_type.placeholders is not None:
        found = {name: str(label) for name, label in mail_type.placeholders.items()}
    else:
        found = dict(sorted(placeholders.derived_from(sample_context(mail_type)).items()))
    return found | {name: str(label) for name, label in placeholders.SENDER_PLACEHOLDERS.items()}
