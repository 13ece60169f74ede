"""A kind's mail as the sample recipient would get it: with a draft text, the text in force or
the shipped default (the editor's preview and test send), signed by the cluster whose text
is edited (or the agency)."""

from django.utils import translation

from members.identity import Identity

from ..catalogue import MailKind
from ..rendering import Rendered, base_context, render_mail, render_shipped
from .catalogue import sample_context
from .rendering import render_edited

SAMPLE_RECIPIENT = "anna.alpha@example.org"


def render_draft(
    mail_type: MailKind,
    language: str,
    draft: dict,
    recipient_email: str = SAMPLE_RECIPIENT,
    identity: Identity | None = None,
) -> Rendered:
    """`draft`: subject, text, body_markdown, not saved."""
    context = base_context(recipient_email=recipient_email, contact_id=None, identity=identity)
    context |= sample_context(mail_type)
    with translation.override(language):
        return Rendered(*render_edited(draft, context))


def render_in_force(
    mail_type: MailKind, language: str, identity: Identity | None = None
) -> Rendered:
    return render_mail(
        template=mail_type.template,
        context=sample_context(mail_type),
        language=language,
        recipient_email=SAMPLE_RECIPIENT,
        contact_id=None,
        identity=identity,
    )


def render_default(mail_type: MailKind, language: str, context: dict | None = None) -> Rendered:
    """The shipped template with the sample data (or the given sample `context`)."""
    if context is None:
        context = sample_context(mail_type)
    return render_shipped(template=mail_type.template, context=context, language=language)
