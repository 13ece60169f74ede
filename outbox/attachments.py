"""Attachments a mail refers to instead of carrying them.

A small file (an .ics) is stored in the mail's row, base64. A large one that many mails share
(the PDFs of a circular: 5 MB to 780 contacts would be 4 GB of rows) is stored once by the app
that owns it; the mail's row keeps only a reference {"filename", "mimetype", "size", "source",
"id"}, and the bytes are read when the message is built. The owning app registers a loader for
its source name (in AppConfig.ready), so the outbox imports no app above it.
"""

import base64
from collections.abc import Callable

_SOURCES: dict[str, Callable[[int], bytes]] = {}


def register_source(name: str, loader: Callable[[int], bytes]) -> None:
    """`loader(id)` returns the bytes of the stored file `id` of this source."""
    _SOURCES[name] = loader


def reference(*, source: str, id: int, filename: str, mimetype: str, size: int) -> dict:
    """A stored attachment as a mail row keeps it: no bytes, only where to find them."""
    return {"filename": filename, "mimetype": mimetype, "size": size, "source": source, "id": id}


def is_reference(stored: dict) -> bool:
    return "source" in stored


def attachment_content(stored: dict) -> bytes:
    """The bytes of an attachment as stored in a mail row, inline or referred to."""
    if is_reference(stored):
        loader = _SOURCES.get(stored["source"])
        if loader is None:
            raise ValueError(f"Unknown attachment source {stored['source']!r}.")
        return loader(stored["id"])
    return base64.b64decode(stored["content"])


def attachment_size(stored: dict) -> int:
    if is_reference(stored):
        return int(stored.get("size") or 0)
    return len(base64.b64decode(stored["content"]))


def attachment_key(stored: dict) -> tuple:
    """Identifies the same attachment across the mails of one run (built once, shared)."""
    if is_reference(stored):
        return ("source", stored["source"], stored["id"])
    return (stored["filename"], stored["mimetype"], stored["content"])
