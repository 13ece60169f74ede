"""The return path of each mail (VERP): bounces+<mail id>-<signature>@<domain>.

Why a return path per mail rather than only the Message-ID: a delivery status notification
goes to the envelope sender, so the address it arrives at names the mail even when the
reporting server quotes none of the original headers (many do not, or mangle them). The
signature keeps a forged report from marking any contact it likes. The Message-ID stays the
second clue (dsn.py reads it from the quoted headers), e.g. for complaints that ESPs and
mailbox providers forward to a fixed address.

Only with BOUNCE_ADDRESS set (plain SMTP with a bounce mailbox); an ESP keeps its own return
path and reports through its webhook.
"""

import re

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "outbox.verp"
SIGNATURE_LENGTH = 12
# Local parts are often lower-cased on the way: ids and hex signatures survive that.
VERP = re.compile(
    r"^(?P<local>[^@+\s<>]+)\+(?P<mail>\d+)-(?P<signature>[0-9a-f]+)@(?P<domain>[^@\s<>]+)$"
)


def bounce_address() -> str:
    return (getattr(settings, "BOUNCE_ADDRESS", "") or "").strip()


def signature(mail_id: int) -> str:
    return salted_hmac(SALT, str(mail_id)).hexdigest()[:SIGNATURE_LENGTH]


def return_path(mail_id: int) -> str:
    """The envelope sender of this mail, or "" when no bounce mailbox is configured."""
    base = bounce_address()
    if not base or "@" not in base:
        return ""
    local, domain = base.rsplit("@", 1)
    return f"{local}+{mail_id}-{signature(mail_id)}@{domain}"


def mail_id_of(address: str) -> int | None:
    """The mail a return path names, if its signature holds."""
    found = VERP.match((address or "").strip().strip("<>").lower())
    if not found:
        return None
    mail_id = int(found["mail"])
    return mail_id if constant_time_compare(found["signature"], signature(mail_id)) else None
