"""Bounce reports as receiving servers write them: a Postfix-style delivery status
notification (RFC 3464) and a mailbox provider's spam complaint (ARF, RFC 5965)."""

import uuid

DSN = """\
Return-Path: <>
Delivered-To: {to}
From: MAILER-DAEMON@mx.alpha.example (Mail Delivery System)
Subject: {subject}
To: {to}
Date: Sun, 29 Nov 2026 15:00:00 +0100 (CET)
Message-ID: <{message_id}@mx.alpha.example>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4F1A21234.1732888800/mx.alpha.example"

This is a MIME-encapsulated message.

--4F1A21234.1732888800/mx.alpha.example
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.alpha.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

--4F1A21234.1732888800/mx.alpha.example
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.alpha.example
X-Postfix-Queue-ID: 4F1A21234
X-Postfix-Sender: rfc822; {to}
Arrival-Date: Sun, 29 Nov 2026 14:59:58 +0100 (CET)

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Remote-MTA: dns; mail.alpha.example
Diagnostic-Code: smtp; {diagnostic}

--4F1A21234.1732888800/mx.alpha.example
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <{to}>
From: MetallDIALOG <metalldialog@wfg-heilbronn.example>
To: {recipient}
Subject: Einladung
Message-ID: {original_message_id}

--4F1A21234.1732888800/mx.alpha.example--
"""

ARF = """\
From: Feedback Loop <fbl@mailprovider.example>
To: {to}
Subject: Complaint about a message you sent
Date: Sun, 29 Nov 2026 15:00:00 +0100
Message-ID: <{message_id}@mailprovider.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="part1_13d.2e68ed54"

--part1_13d.2e68ed54
Content-Type: text/plain; charset="US-ASCII"
Content-Transfer-Encoding: 7bit

This is an email abuse report for an email message received from IP 192.0.2.1.

--part1_13d.2e68ed54
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Original-Mail-From: <{return_path}>
Arrival-Date: Sun, 29 Nov 2026 14:58:00 +0100
Reported-Domain: wfg-heilbronn.example

--part1_13d.2e68ed54
Content-Type: text/rfc822-headers

From: MetallDIALOG <metalldialog@wfg-heilbronn.example>
To: {recipient}
Subject: Einladung
Message-ID: {original_message_id}

--part1_13d.2e68ed54--
"""

HARD = {"action": "failed", "status": "5.1.1", "diagnostic": "550 5.1.1 <{r}>: User unknown"}
SOFT = {"action": "delayed", "status": "4.2.2", "diagnostic": "452 4.2.2 Mailbox full"}


def dsn(
    *, to: str, recipient: str, kind: dict = HARD, original_message_id: str = "", message_id=""
) -> bytes:
    """A delivery status notification sent to `to` (the mail's return path) about `recipient`."""
    text = DSN.format(
        to=to,
        recipient=recipient,
        subject="Undelivered Mail Returned to Sender"
        if kind["action"] == "failed"
        else "Delayed Mail (still being retried)",
        action=kind["action"],
        status=kind["status"],
        diagnostic=kind["diagnostic"].format(r=recipient),
        original_message_id=original_message_id or "<unknown@elsewhere.example>",
        message_id=message_id or uuid.uuid4().hex,
    )
    return text.replace("\n", "\r\n").encode()


def complaint(*, to: str, recipient: str, original_message_id: str, return_path="") -> bytes:
    text = ARF.format(
        to=to,
        recipient=recipient,
        original_message_id=original_message_id,
        return_path=return_path or "metalldialog@wfg-heilbronn.example",
        message_id=uuid.uuid4().hex,
    )
    return text.replace("\n", "\r\n").encode()


def auto_reply(*, to: str) -> bytes:
    text = (
        f"From: Anna Alpha <anna@alpha.example>\nTo: {to}\nSubject: Abwesenheitsnotiz\n"
        f"Message-ID: <{uuid.uuid4().hex}@alpha.example>\nAuto-Submitted: auto-replied\n\n"
        "Ich bin bis 6. Dezember nicht im Haus.\n"
    )
    return text.replace("\n", "\r\n").encode()
