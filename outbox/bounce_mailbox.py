"""Beat reads the bounce mailbox over IMAP (BOUNCE_IMAP_*; nothing happens while
BOUNCE_IMAP_HOST is empty, e.g. with an ESP, whose webhook reports instead).

Each report is recorded first (its own transaction, outbox.bounces) and then deleted from
the mailbox; a run that dies in between finds the report again next time, and the record
knows it already (Bounce.report_key), so nothing counts twice. A message that is no report
(an auto-reply, spam) is kept for a person and flagged so that later runs pass it over.
"""

import imaplib
import logging

from django.conf import settings

from .bounces import bounce_record
from .dsn import reports_in

log = logging.getLogger(__name__)

NOT_A_REPORT = "NotABounceReport"  # an IMAP keyword on messages we leave alone
SOURCE = "imap"


def _setting(name: str, default=None):
    return getattr(settings, name, default)


def _connect() -> imaplib.IMAP4:
    host = _setting("BOUNCE_IMAP_HOST")
    port = int(_setting("BOUNCE_IMAP_PORT") or 993)
    timeout = _setting("BOUNCE_IMAP_TIMEOUT", 30)
    if _setting("BOUNCE_IMAP_SSL", True):
        imap = imaplib.IMAP4_SSL(host, port, timeout=timeout)
    else:
        imap = imaplib.IMAP4(host, port, timeout=timeout)
    imap.login(_setting("BOUNCE_IMAP_USER", ""), _setting("BOUNCE_IMAP_PASSWORD", ""))
    return imap


def _reports(uid: bytes, raw: bytes | None):
    """The message's reports; a message that breaks the parser is left for a person rather
    than stopping every later run at the same message."""
    if raw is None:
        return None
    try:
        return reports_in(raw)
    except Exception:  # noqa: BLE001 - any parser failure: not a report we can read
        log.exception("outbox: bounce mailbox message %s could not be read", uid)
        return None


def bounce_mailbox_read(*, limit: int | None = None) -> dict[str, int]:
    """Reads up to `limit` messages (BOUNCE_IMAP_BATCH) of the bounce folder; returns counts
    of reports recorded, repeated reports, messages deleted and messages left alone."""
    counts = {"recorded": 0, "repeated": 0, "deleted": 0, "left": 0}
    if not _setting("BOUNCE_IMAP_HOST"):
        return counts
    limit = limit or _setting("BOUNCE_IMAP_BATCH", 200)
    imap = _connect()
    try:
        imap.select(_setting("BOUNCE_IMAP_FOLDER", "INBOX") or "INBOX")
        _status, found = imap.uid("SEARCH", None, "UNDELETED", "UNKEYWORD", NOT_A_REPORT)
        for uid in (found[0] or b"").split()[:limit]:
            _status, fetched = imap.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((item[1] for item in fetched if isinstance(item, tuple)), None)
            reports = _reports(uid, raw)
            if reports is None:
                imap.uid("STORE", uid, "+FLAGS", f"({NOT_A_REPORT})")
                counts["left"] += 1
                continue
            for report in reports:
                recorded = bounce_record(
                    email=report.email,
                    kind=report.kind,
                    reason=report.reason,
                    source=SOURCE,
                    report_key=report.report_key,
                    mail_id=report.mail_id,
                )
                counts["recorded" if recorded else "repeated"] += 1
            imap.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
            counts["deleted"] += 1
        imap.expunge()
    finally:
        try:
            imap.logout()
        except (imaplib.IMAP4.error, OSError):
            log.warning("outbox: the bounce mailbox did not log out cleanly")
    return counts
