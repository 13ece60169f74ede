"""The PDFs of a circular: what may be attached, and how a mail finds the stored bytes.

At most three PDFs of at most 5 MB together. The form checks (message at the field) and the
service checks again (nothing is written for files that fail). Every mail of the circular
refers to the stored file (outbox.attachments), so its bytes are stored once.
"""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from outbox.attachments import reference

from .models import Circular, CircularAttachment

ATTACHMENT_SOURCE = "circulars.attachment"
MAX_FILES = 3
MAX_TOTAL_BYTES = 5 * 1024 * 1024
PDF_MIMETYPE = "application/pdf"
PDF_MAGIC = b"%PDF-"


def clean_filename(name: str) -> str:
    name = (name or "").replace("/", "_").replace("\\", "_").strip() or "anhang.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return name[-200:]


def check_uploads(*, uploads, kept_sizes: list[int]) -> None:
    """Raises a ValidationError with a German message for the cluster manager."""
    if len(uploads) + len(kept_sizes) > MAX_FILES:
        raise ValidationError(
            _("A circular can have at most %(max)d attachments.") % {"max": MAX_FILES},
            code="too_many",
        )
    for upload in uploads:
        if not upload.size:
            raise ValidationError(
                _("The file %(name)s is empty.") % {"name": upload.name}, code="empty"
            )
        upload.seek(0)
        head = upload.read(len(PDF_MAGIC))
        upload.seek(0)
        if not upload.name.lower().endswith(".pdf") or head != PDF_MAGIC:
            raise ValidationError(
                _("%(name)s is not a PDF file. Only PDF files can be attached.")
                % {"name": upload.name},
                code="type",
            )
    total = sum(kept_sizes) + sum(upload.size for upload in uploads)
    if total > MAX_TOTAL_BYTES:
        raise ValidationError(
            _("The attachments are too large together (%(size)s). At most %(limit)s are allowed.")
            % {"size": filesizeformat(total), "limit": filesizeformat(MAX_TOTAL_BYTES)},
            code="too_large",
        )


def attachment_bytes(pk: int) -> bytes:
    """The outbox's loader: the stored PDF, read when a mail's message is built."""
    attachment = CircularAttachment.objects.get(pk=pk)
    with attachment.file.open("rb") as handle:
        return handle.read()


def mail_references(circular: Circular) -> list[dict]:
    """What each mail of the circular keeps of its PDFs: a reference, no bytes."""
    return [
        reference(
            source=ATTACHMENT_SOURCE,
            id=attachment.pk,
            filename=attachment.filename,
            mimetype=PDF_MIMETYPE,
            size=attachment.size,
        )
        for attachment in circular.attachments.all()
    ]
