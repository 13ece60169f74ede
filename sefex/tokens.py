"""Signed links for one contact and one workshop: choose a slot or give feedback without login.

Nothing is stored; the signature (django.core.signing, one salt per purpose) makes a changed
token detectable, and the services check that the contact belongs to the workshop's company.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SLOT_SALT = "sefex.slot"
FEEDBACK_SALT = "sefex.feedback"


class TokenError(Exception):
    message = _("This link is not valid. Please use the link from your e-mail.")

    def __str__(self):
        return str(self.message)


class TokenExpired(TokenError):
    message = _("This link has expired. Please ask your project manager for a new one.")


@dataclass(frozen=True)
class WorkshopToken:
    contact_id: int
    workshop_id: int
    expires_at: datetime


def _make(salt: str, *, contact_id: int, workshop_id: int, expires_at: datetime) -> str:
    payload = {"c": contact_id, "w": workshop_id, "e": int(expires_at.timestamp())}
    return signing.dumps(payload, salt=salt, compress=False)


def _read(salt: str, token: str, now: datetime | None) -> WorkshopToken:
    try:
        payload = signing.loads(token, salt=salt)
        result = WorkshopToken(
            contact_id=int(payload["c"]),
            workshop_id=int(payload["w"]),
            expires_at=datetime.fromtimestamp(int(payload["e"]), tz=UTC),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise TokenError from exc
    if (now or timezone.now()) >= result.expires_at:
        raise TokenExpired
    return result


def make_slot_token(*, contact, workshop, expires_at: datetime | None = None) -> str:
    return _make(
        SLOT_SALT,
        contact_id=contact.pk,
        workshop_id=workshop.pk,
        expires_at=expires_at or timezone.now() + timedelta(days=30),
    )


def read_slot_token(token: str, *, now: datetime | None = None) -> WorkshopToken:
    return _read(SLOT_SALT, token, now)


def make_feedback_token(*, contact, workshop, expires_at: datetime | None = None) -> str:
    return _make(
        FEEDBACK_SALT,
        contact_id=contact.pk,
        workshop_id=workshop.pk,
        expires_at=expires_at or timezone.now() + timedelta(days=60),
    )


def read_feedback_token(token: str, *, now: datetime | None = None) -> WorkshopToken:
    return _read(FEEDBACK_SALT, token, now)
