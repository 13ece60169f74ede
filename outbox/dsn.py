"""Reading the reports in the bounce mailbox: delivery status notifications (RFC 3464) and
spam complaints in the Abuse Reporting Format (RFC 5965), with the standard library's parser.

`reports_in(raw)` gives one Report per recipient that failed, was delayed or complained, or
None for a message that is no such report (an auto-reply, spam): those stay in the mailbox
for a person to look at.

Hard or soft (RFC 3463 status codes): "failed" with a 5.x.x status is hard, except a full
mailbox (x.2.2), which its owner may empty; "delayed", and "failed" with a 4.x.x status (the
server gave up on a passing problem), are soft.
"""

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass
from email.message import Message
from email.parser import HeaderParser
from email.utils import collapse_rfc2231_value, getaddresses

from .verp import mail_id_of

HARD = "hard"
SOFT = "soft"
COMPLAINT = "complaint"
OUTBOX_MESSAGE_ID = re.compile(r"<outbox-(\d+)@[^>]+>")
# Where the address a report was sent to (the return path) shows in the stored message.
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To")
REASON_LENGTH = 300


@dataclass(frozen=True)
class Report:
    email: str
    kind: str  # HARD, SOFT or COMPLAINT
    status: str  # the RFC 3463 code, e.g. "5.1.1" ("" for a complaint)
    reason: str  # status and the receiving server's words, or the complaint's feedback type
    mail_id: int | None  # the outbox mail it is about, where the report tells
    report_key: str  # the same report read twice has the same key


def reports_in(raw: bytes) -> list[Report] | None:
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    if message.get_content_type() != "multipart/report":
        return None
    report_type = collapse_rfc2231_value(message.get_param("report-type") or "").lower()
    parts = message.get_payload()
    if not isinstance(parts, list):
        return None
    key = _report_key(message, raw)
    mail_id = _mail_id(message, parts)
    if report_type == "delivery-status":
        return _delivery_status(parts, key, mail_id)
    if report_type == "feedback-report":
        return _complaint(parts, key, mail_id)
    return None


def _report_key(message: Message, raw: bytes) -> str:
    own_id = (message.get("Message-ID") or "").strip()
    return own_id or "sha256:" + hashlib.sha256(raw).hexdigest()


def _part(parts: list[Message], *types: str) -> Message | None:
    return next((part for part in parts if part.get_content_type() in types), None)


def _blocks(part: Message) -> list[Message]:
    """The field blocks of a message/delivery-status or message/feedback-report part."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return payload
    return [HeaderParser().parsestr(block) for block in re.split(r"\r?\n\r?\n", str(payload))]


def _original_headers(parts: list[Message]) -> Message | None:
    """The returned mail's headers (message/rfc822 or text/rfc822-headers), if quoted."""
    part = _part(parts, "message/rfc822", "text/rfc822-headers")
    if part is None:
        return None
    payload = part.get_payload()
    if isinstance(payload, list):
        return payload[0] if payload else None
    text = payload if isinstance(payload, str) else ""
    if part.get("Content-Transfer-Encoding", "").lower() in ("base64", "quoted-printable"):
        text = part.get_payload(decode=True).decode("utf-8", "replace")
    return HeaderParser().parsestr(text)


def _mail_id(message: Message, parts: list[Message]) -> int | None:
    """The outbox mail: by the return path the report came to, else the quoted Message-ID."""
    for header in RECIPIENT_HEADERS:
        for _name, address in getaddresses(message.get_all(header, [])):
            found = mail_id_of(address)
            if found is not None:
                return found
    original = _original_headers(parts)
    if original is not None:
        for header in ("Return-Path", "Message-ID"):
            value = original.get(header) or ""
            found = mail_id_of(value) if header == "Return-Path" else None
            if found is None:
                matched = OUTBOX_MESSAGE_ID.search(value)
                found = int(matched.group(1)) if matched else None
            if found is not None:
                return found
    return None


def _address(field: str | None) -> str:
    """ "rfc822; Anna@Example.org" → "anna@example.org"."""
    value = (field or "").split(";", 1)[-1].strip().strip("<>").strip()
    return value.lower() if "@" in value else ""


def kind_of(action: str, status: str) -> str | None:
    """HARD, SOFT, or None for a report that something arrived (delivered, relayed, ...)."""
    action = action.strip().lower()
    if action == "delayed":
        return SOFT
    if action != "failed":
        return None
    if status.startswith("5") and status[1:6] != ".2.2":
        return HARD
    if status.startswith("5") or status.startswith("4"):
        return SOFT
    return HARD  # "failed" without a usable status: the server gave up for good


def _delivery_status(parts: list[Message], key: str, mail_id: int | None) -> list[Report] | None:
    part = _part(parts, "message/delivery-status")
    if part is None:
        return None
    reports = []
    # The first block is about the message; each further one about a recipient.
    for block in _blocks(part)[1:]:
        address = _address(block.get("Final-Recipient") or block.get("Original-Recipient"))
        status = (block.get("Status") or "").strip().split(" ", 1)[0]
        kind = kind_of(block.get("Action") or "", status)
        if not address or kind is None:
            continue
        diagnostic = " ".join((block.get("Diagnostic-Code") or "").split())
        reason = diagnostic.split(";", 1)[-1].strip() if diagnostic else ""
        reports.append(
            Report(
                email=address,
                kind=kind,
                status=status,
                reason=(f"{status} {reason}".strip())[:REASON_LENGTH],
                mail_id=mail_id,
                report_key=f"{key}|{address}"[:300],
            )
        )
    return reports


def _complaint(parts: list[Message], key: str, mail_id: int | None) -> list[Report] | None:
    part = _part(parts, "message/feedback-report")
    if part is None:
        return None
    fields = _blocks(part)[0] if _blocks(part) else Message()
    address = _address(fields.get("Original-Rcpt-To"))
    if not address:
        original = _original_headers(parts)
        recipients = getaddresses(original.get_all("To", [])) if original is not None else []
        address = recipients[0][1].lower() if recipients else ""
    if not address:
        return []
    feedback = (fields.get("Feedback-Type") or "abuse").strip()
    return [
        Report(
            email=address,
            kind=COMPLAINT,
            status="",
            reason=feedback[:REASON_LENGTH],
            mail_id=mail_id,
            report_key=f"{key}|{address}"[:300],
        )
    ]
