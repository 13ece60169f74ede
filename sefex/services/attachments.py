"""Files of a workshop."""

from django.db import transaction

from ..models import (
    Attachment,
    Workshop,
)
from ..uploads import check_upload
from .common import require_documenting


@transaction.atomic
def attachment_add(*, workshop: Workshop, actor, upload) -> Attachment:
    """Stores an upload after checking its size and type; a refused file writes nothing."""
    workshop = require_documenting(workshop, actor)
    content_type = check_upload(upload)
    name = (upload.name or "file").replace("/", "_").replace("\\", "_")[-200:]
    attachment = Attachment(
        workshop=workshop,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    stored = attachment.file.name
    # If the row cannot be written, the stored file must not stay behind.
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor) -> None:
    require_documenting(attachment.workshop, actor)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
