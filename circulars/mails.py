"""The circulars' mails, declared once: the circular, sent in bulk (rendered once per language
by MailMerge, the name per contact, the PDFs referred to by circulars.attachments, never copied
into the rows), and the test to oneself."""

import logging

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.markdown import markdown_to_html
from members.identity import identity_for
from members.models import Contact
from outbox.catalogue import MailKind, Recipient
from outbox.mailtexts.placeholders import MarkdownText
from outbox.models import Batch, Mail
from outbox.rendering import MailMerge, Rendered, render_mail
from outbox.services import mail_build

from .attachments import mail_references
from .models import Circular

log = logging.getLogger(__name__)

KIND = "circular"
TEST_KIND = "circular_test"
# The footer's opt-out line speaks of circulars, not invitations (templates/emails/base_body).
OPT_OUT = {"opt_out_of": "circulars"}


def shared_context(circular: Circular) -> dict:
    """What every mail of the circular shows, whoever receives it."""
    names = [a.filename for a in circular.attachments.all()]
    return (
        {
            "circular": circular,
            "subject": circular.subject,
            # Sanitised by markdown_to_html (nh3): only the tags a mail client shows remain.
            "body_html": mark_safe(markdown_to_html(circular.body)),  # noqa: S308
            "body_text": circular.body,
            "attachment_names": names,
        }
        | editable_values(circular.body, names)
        | OPT_OUT
    )


def editable_values(body: str, attachment_names: list[str]) -> dict:
    """What a mail text the cluster manager edited (outbox.mailtexts) puts in: the circular's
    own text, formatted, and its attachments' names."""
    return {"body": MarkdownText(body), "attachments": ", ".join(attachment_names)}


PLACEHOLDERS = {
    "name": _("Name of the recipient"),
    "subject": _("Subject of the circular"),
    "body": _("Text of the circular, formatted as written"),
    "attachments": _("Names of the attached PDF files"),
}


def circular_mails(batch: Batch, contacts: list[Contact]) -> list[Mail]:
    """The outbox's builder for one chunk of a circular's send."""
    circular = Circular.objects.select_related("cluster").get(pk=batch.object_id)
    references = mail_references(circular)
    # Signed by the circular's cluster, in its wording (its mail text, else the agency's).
    identity = identity_for(circular.cluster_id)
    merge = MailMerge(template=CIRCULAR.template, fields=["name"], identity=identity)
    shared = shared_context(circular) | {"name": merge.field("name")}
    mails = []
    for contact in contacts:
        language = contact.language or "de"
        try:
            mail = mail_build(
                kind=KIND,
                related=circular,
                recipient_email=contact.email,
                contact=contact,
                language=language,
                rendered=merge.render(
                    context=shared,
                    language=language,
                    recipient_email=contact.email,
                    contact_id=contact.pk,
                    values={"name": contact.full_name},
                ),
                attachments=references,
                marketing=True,
                batch=batch,
                identity=identity,
            )
        except ValidationError:
            log.warning("circular %s: contact %s has an unusable address", circular.pk, contact.pk)
            continue
        mails.append(mail)
    return mails


def test_context(circular: Circular, *, name: str, language: str) -> dict:
    """A test to oneself: marked in its subject and above the circular's text, so that a text
    the cluster manager edited (which has no place for the mark) shows it too."""
    with translation.override(language):
        mark = gettext("Test mail: only you received this circular.")
        subject = f"[{gettext('Test')}] {circular.subject}"
    return shared_context(circular) | {
        "name": name,
        "test": True,
        "subject": subject,
        "body": MarkdownText(f"**{mark}**\n\n{circular.body}"),
    }


def circular_preview(
    circular: Circular, *, language: str, contact: Contact | None = None, test: bool = False
) -> Rendered:
    """The mail as `contact` (or, without one, a reader of `language`) would get it."""
    name = contact.full_name if contact else str(_("Ms./Mr. Sample"))
    context = shared_context(circular) | {"name": name}
    if test:
        context = test_context(circular, name=name, language=language)
    return render_mail(
        template=CIRCULAR.template,
        context=context,
        language=language,
        recipient_email=contact.email if contact else "beispiel@example.org",
        contact_id=contact.pk if contact else None,
        identity=identity_for(circular.cluster_id),
    )


def _sample() -> dict:
    """Unsaved data for the staff's page of mail templates."""
    circular = Circular(
        subject="Neue Förderaufrufe für KMU",
        body="Liebe Mitglieder,\n\nbis **31. März** können Anträge gestellt werden.\n\n"
        "- Digitalisierung\n- Energieeffizienz",
    )
    return (
        {
            "circular": circular,
            "subject": circular.subject,
            "body_html": mark_safe(markdown_to_html(circular.body)),  # noqa: S308 - sanitised
            "body_text": circular.body,
            "attachment_names": ["Foerderaufruf.pdf"],
            "name": "Anna Alpha",
        }
        | editable_values(circular.body, ["Foerderaufruf.pdf"])
        | OPT_OUT
    )


def _test_context(circular: Circular, recipient: Recipient) -> dict:
    return test_context(circular, name=recipient.name, language=recipient.language)


# Sent in bulk by the outbox (circular_mails builds each chunk), not through MailKind.queue.
CIRCULAR = MailKind(
    kind=KIND,
    label=_("Circular"),
    template="emails/circulars_circular",
    sample=_sample,
    placeholders=PLACEHOLDERS,
    per_cluster=True,
)
# To the person asking, in the language they chose (circulars.services.circular_test_send).
TEST = MailKind(
    kind=TEST_KIND,
    label=_("Circular (test to oneself)"),
    template="emails/circulars_circular",
    context=_test_context,
    attachments=mail_references,
    sample=lambda: _sample() | {"test": True, "subject": "[Test] Neue Förderaufrufe für KMU"},
    per_cluster=True,
)
KINDS = (CIRCULAR, TEST)
