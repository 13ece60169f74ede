"""Every forums mail is listed on the staff template page and renders from its sample."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.identity import identity_for
from outbox.catalogue import registered
from outbox.rendering import render_mail


def test_every_forums_mail_renders_from_its_sample(db):
    forum_types = [t for t in registered() if t.template.startswith("emails/forums_")]
    kinds = {t.kind for t in forum_types}
    assert {
        "forum_registration_confirmed",
        "forum_registration_waitlisted",
        "forum_registration_pending",
        "forum_registration_promoted",
        "forum_registration_cancelled",
        "forum_reminder",
        "forum_rescheduled",
        "forum_cancelled",
        "forum_feedback_request",
    } <= kinds
    identity_for()  # the sender is configuration, read once and then cached
    for mail_type in forum_types:
        if not mail_type.kind.startswith("forum_registration") and mail_type.kind not in (
            "forum_reminder",
            "forum_rescheduled",
            "forum_cancelled",
            "forum_feedback_request",
        ):
            continue  # the invitations are the mail helper's
        arguments = {
            "template": mail_type.template,
            "context": mail_type.sample(),
            "language": "de",
            "recipient_email": "maria@muster.example",
            "contact_id": None,
        }
        render_mail(**arguments)  # whether staff edited its text: read once, then cached
        with CaptureQueriesContext(connection) as queries:
            rendered = render_mail(**arguments)
        assert "Industrie 4.0" in rendered.subject, mail_type.kind
        assert "Hafenstraße 1" in rendered.text and "Hafenstraße 1" in rendered.html
        assert len(queries) == 0  # samples come from unsaved objects
