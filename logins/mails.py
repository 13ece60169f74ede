"""The logins app's mail, declared once: the set-password link, with Django's password-reset
token, valid for PASSWORD_RESET_TIMEOUT and until the password is set (the token depends on
it)."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from members.models import Contact, User
from outbox.catalogue import MailKind, Recipient
from outbox.models import Mail

PASSWORD_LINK_KIND = "logins_password_link"  # noqa: S105 - a mail kind, not a password


def password_link(login: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(login.pk))
    token = default_token_generator.make_token(login)
    path = reverse("logins:set_password", args=[uid, token])
    return settings.SITE_URL.rstrip("/") + path


def valid_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def _recipients(login: User) -> list[Recipient]:
    contact = login.contact
    name = contact.full_name if contact else login.get_full_name()
    return [Recipient(login.email, name, contact.language if contact else "de", contact)]


def _context(login: User, recipient: Recipient, *, inviter: str = "") -> dict:
    return {
        "name": recipient.name,
        "company": login.company.legal_name if login.company_id else "",
        "email": login.email,
        "link": password_link(login),
        "valid_days": valid_days(),
        "inviter": inviter,
    }


def _sample() -> dict:
    person = Contact(first_name="Anna", last_name="Alpha")
    return {
        "name": person.full_name,
        "company": "Alpha Präzisionstechnik GmbH",
        "email": "anna@alpha.example",
        "link": settings.SITE_URL.rstrip("/") + "/logins/set-password/MQ/beispiel/",
        "valid_days": valid_days(),
    }


PASSWORD_LINK = MailKind(
    kind=PASSWORD_LINK_KIND,
    label=_("Set-password link for a login"),
    template="emails/logins_password_link",
    recipients=_recipients,
    context=_context,
    sample=_sample,
)
KINDS = (PASSWORD_LINK,)


def password_link_queue(login: User, *, inviter: str = "") -> Mail | None:
    """Queues the mail in the caller's transaction; every call is a new mail (a resend)."""
    return PASSWORD_LINK.queue_one(
        login, key=timezone.now().strftime("%Y%m%d%H%M%S%f"), inviter=inviter
    )
