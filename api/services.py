"""Writes of the api app: making and revoking secrets. Keyword-only, one transaction each."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role, has_role, is_agency_admin
from members.models import Contact

from .keys import hash_secret, new_secret
from .models import ApiToken, CalendarFeed

# last_used_at is written at most this often per token: not one UPDATE per API request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_token_check(*, name: str, user, actor=None) -> None:
    """Raises why a token with this name acting as `user` cannot be made (also for forms).

    A token acts as its user, so only the agency administrator makes one for another staff
    login: otherwise a role could borrow another's rights."""
    if not (name or "").strip():
        raise ValidationError(_("Please give the token a name."))
    if (
        user is None
        or not user.is_active
        or not has_role(user, Role.CLUSTER_MANAGER, Role.PROJECT_MANAGER, Role.COMPANY_USER)
    ):
        raise ValidationError(_("A token can only act as an active user with a role."))
    if (
        actor is not None
        and not is_agency_admin(actor)
        and user.company_id is None
        and user.pk != actor.pk
    ):
        raise ValidationError(
            _("Only the agency administrator can make a token that acts as another staff login.")
        )


def api_token_create(*, name: str, user, actor=None) -> tuple[ApiToken, str]:
    """Makes a token acting as `user`; returns it with its secret (shown once, never stored)."""
    api_token_check(name=name, user=user, actor=actor)
    name = name.strip()
    secret = new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name,
            user=user,
            prefix=secret[:8],
            key_hash=hash_secret(secret),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    return token, secret


def api_token_revoke(*, token: ApiToken, actor=None) -> ApiToken:
    """Revokes a token at once; a second revoke changes nothing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken, now=None) -> None:
    """Records use, at most once per LAST_USED_RESOLUTION (a conditional UPDATE, no lock)."""
    now = now or timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def calendar_feed_renew(*, contact: Contact) -> tuple[CalendarFeed, str]:
    """Gives the contact a new secret calendar address; the previous one stops working."""
    secret = new_secret()
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.update_or_create(
            contact=contact, defaults={"key_hash": hash_secret(secret)}
        )
    return feed, secret
