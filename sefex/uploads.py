"""What may be attached to workshop minutes: documents and pictures of limited size, no programs.

The check looks at both the name and the first bytes, because a renamed program is still a
program. Used by the form (message at the field) and again by the service (nothing is written
for a file that fails).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

ALLOWED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain",
    "csv": "text/csv",
}

# Signatures of executables: Windows PE ("MZ"), ELF, Mach-O (both byte orders, fat), scripts.
EXECUTABLE_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)


def max_bytes() -> int:
    return int(getattr(settings, "SEFEX_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_upload(upload) -> str:
    """Raises a ValidationError with a message for the uploader; returns the content type."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_bytes():
        raise ValidationError(
            _("The file is too large (%(size)s). At most %(limit)s are allowed.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes())},
            code="too_large",
        )
    ext = extension(name)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if ext not in ALLOWED or head.startswith(EXECUTABLE_MAGIC):
        raise ValidationError(
            _("Programs and files of this type cannot be uploaded. Allowed are: %(types)s.")
            % {"types": ", ".join(sorted(ALLOWED))},
            code="type",
        )
    return ALLOWED[ext]
