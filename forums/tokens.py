"""Signed links for one contact and one forum: register without login, give feedback.

The token carries contact, forum and an expiry; django.core.signing makes any change to it
detectable. Nothing is stored, so a link costs no row; what it allows is limited by its purpose
(salt), its expiry and the rules the services check anyway.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REGISTRATION_SALT = "forums.registration"
FEEDBACK_SALT = "forums.feedback"


class TokenError(Exception):
    """A link that cannot be used; `message` is for the person who clicked it."""

    message = _("This link is not valid. Please use the link from your e-mail.")

    def __str__(self):
        return str(self.message)


class TokenInvalid(TokenError):
    message = _("This link is not valid. Please use the link from your e-mail.")


class TokenExpired(TokenError):
    message = _("This link has expired. Please ask the cluster management for a new invitation.")


@dataclass(frozen=True)
class ForumToken:
    contact_id: int
    forum_id: int
    expires_at: datetime


def _make(salt: str, *, contact_id: int, forum_id: int, expires_at: datetime) -> str:
    payload = {"c": contact_id, "f": forum_id, "e": int(expires_at.timestamp())}
    return signing.dumps(payload, salt=salt, compress=False)


def _read(salt: str, token: str, now: datetime | None) -> ForumToken:
    try:
        payload = signing.loads(token, salt=salt)
        result = ForumToken(
            contact_id=int(payload["c"]),
            forum_id=int(payload["f"]),
            expires_at=datetime.fromtimestamp(int(payload["e"]), tz=UTC),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid from exc
    if (now or timezone.now()) >= result.expires_at:
        raise TokenExpired
    return result


# A link outlives the forum a little: a forum moved to a later date keeps the links already
# sent working. The registration deadline itself is the service's rule, with its own message.
REGISTRATION_LINK_SLACK = timedelta(days=30)


def make_registration_token(*, contact, forum, expires_at: datetime | None = None) -> str:
    """A link for `contact` to register for `forum` (or to see and cancel the registration)."""
    return _make(
        REGISTRATION_SALT,
        contact_id=contact.pk,
        forum_id=forum.pk,
        expires_at=expires_at or forum.ends_at + REGISTRATION_LINK_SLACK,
    )


def read_registration_token(token: str, *, now: datetime | None = None) -> ForumToken:
    """Raises TokenInvalid for a changed or foreign token, TokenExpired after its expiry."""
    return _read(REGISTRATION_SALT, token, now)


def make_feedback_token(*, contact, forum, expires_at: datetime | None = None) -> str:
    """A link for an attendee to rate `forum`; valid for 60 days after it ended by default."""
    return _make(
        FEEDBACK_SALT,
        contact_id=contact.pk,
        forum_id=forum.pk,
        expires_at=expires_at or forum.ends_at + timedelta(days=60),
    )


def read_feedback_token(token: str, *, now: datetime | None = None) -> ForumToken:
    return _read(FEEDBACK_SALT, token, now)
