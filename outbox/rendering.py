"""Turns an e-mail template (templates/emails/<name>_subject.txt, _body.txt, _body.html)
into subject, text and HTML in one language, with the sender's imprint and the opt-out link.

A text staff edited for the template and language (outbox.mailtexts) takes the place of the
shipped template; the layout around it stays. Which text applies follows the sender: a
cluster's mail gets that cluster's text (or the agency-wide one it inherits)."""

import base64
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape

from members.identity import Identity, identity_for

from .mailtexts.rendering import render_edited
from .mailtexts.selectors import text_in_force

OPT_OUT_SALT = "outbox.opt-out"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def template_base(template: str) -> str:
    """ "forum_invitation" and "emails/forum_invitation" name the same template set."""
    return template if "/" in template else f"emails/{template}"


def opt_out_token(*, email: str, contact_id: int | None) -> str:
    return _opt_out_token(email.lower(), contact_id)


# A bulk send needs each token twice (body and List-Unsubscribe header) in one process.
# The same input always gives the same token: signing.dumps has no timestamp.
@lru_cache(maxsize=1024)
def _opt_out_token(email: str, contact_id: int | None) -> str:
    # Signed, not stored: an opt-out link has to keep working for years.
    return signing.dumps({"e": email.lower(), "c": contact_id}, salt=OPT_OUT_SALT, compress=True)


def opt_out_read(token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=OPT_OUT_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        return None
    return data


def opt_out_url(*, email: str, contact_id: int | None) -> str:
    path = reverse("outbox:opt_out", args=[opt_out_token(email=email, contact_id=contact_id)])
    return settings.SITE_URL.rstrip("/") + path


def sender_context(identity: Identity | None = None) -> dict:
    """Who signs the mail (`sender`: name, address, e-mail, imprint): a cluster, or the
    agency when none is given."""
    return {
        "sender": identity or identity_for(),
        "site_url": settings.SITE_URL.rstrip("/"),
    }


def base_context(
    *, recipient_email: str, contact_id: int | None, identity: Identity | None = None
) -> dict:
    return sender_context(identity) | {
        "opt_out_url": opt_out_url(email=recipient_email, contact_id=contact_id),
    }


def render_mail(
    *,
    template: str,
    context: dict,
    language: str,
    recipient_email: str,
    contact_id: int | None,
    identity: Identity | None = None,
) -> Rendered:
    full = base_context(
        recipient_email=recipient_email, contact_id=contact_id, identity=identity
    ) | dict(context)
    return _render(template_base(template), full, language, _cluster_of(identity))


def _cluster_of(identity: Identity | None) -> int | None:
    return identity.cluster_id if identity is not None else None


def render_shipped(*, template: str, context: dict, language: str) -> Rendered:
    """The shipped template alone, whatever staff edited (the editor's comparison)."""
    full = base_context(recipient_email="anna.alpha@example.org", contact_id=None) | context
    with translation.override(language):
        return _render_template(template_base(template), full)


def _render(base: str, context: dict, language: str, cluster_id: int | None) -> Rendered:
    with translation.override(language):
        edited = text_in_force(base, language, cluster_id)
        if edited is not None:
            return Rendered(*render_edited(edited, context))
        return _render_template(base, context)


def _render_template(base: str, context: dict) -> Rendered:
    # A subject is one line, whatever the template's line breaks.
    return Rendered(
        subject=" ".join(render_to_string(f"{base}_subject.txt", context).split()),
        text=render_to_string(f"{base}_body.txt", context).strip() + "\n",
        html=render_to_string(f"{base}_body.html", context),
    )


def attachments_encode(attachments) -> list[dict]:
    """Accepts dicts {filename, content, mimetype}, Django-style (filename, content, mimetype)
    or references to stored files (outbox.attachments.reference)."""
    stored = []
    for item in attachments:
        if isinstance(item, dict) and "source" in item:
            stored.append(dict(item))  # a reference (outbox.attachments): no bytes to encode
            continue
        if isinstance(item, dict):
            filename, content, mimetype = item["filename"], item["content"], item["mimetype"]
        else:
            filename, content, mimetype = item
        if isinstance(content, str):
            content = content.encode()
        stored.append(
            {
                "filename": filename,
                "mimetype": mimetype,
                "content": base64.b64encode(content).decode("ascii"),
            }
        )
    return stored


def attachments_decode(stored: list[dict]) -> list[tuple[str, bytes, str]]:
    return [(a["filename"], base64.b64decode(a["content"]), a["mimetype"]) for a in stored]


class MailMerge:
    """Bulk rendering: the template is rendered once per language with placeholders for the
    personal values, which are then filled in per recipient (escaped in the HTML part).

    Rendering is most of the cost of building a mail; a send to thousands of contacts with
    the same forum needs it once. Personal values must appear unfiltered in the templates
    (`{{ name }}`, not `{{ name|upper }}`); `merge.field("name")` gives the placeholder to
    put into the shared context. The opt-out link is always personal.
    """

    def __init__(self, *, template: str, fields: list[str], identity: Identity | None = None):
        self.template = template
        self.identity = identity
        self.fields = [*fields, "opt_out_url"]
        self._cache: dict[str, Rendered] = {}

    @staticmethod
    def field(name: str) -> str:
        return f"@@merge-{name}@@"

    def render(
        self,
        *,
        context: dict,
        language: str,
        recipient_email: str,
        contact_id: int | None,
        values: dict[str, str],
    ) -> Rendered:
        skeleton = self._cache.get(language)
        if skeleton is None:
            shared = sender_context(self.identity) | dict(
                context, opt_out_url=self.field("opt_out_url")
            )
            skeleton = _render(
                template_base(self.template), shared, language, _cluster_of(self.identity)
            )
            self._cache[language] = skeleton
        personal = dict(
            values, opt_out_url=opt_out_url(email=recipient_email, contact_id=contact_id)
        )
        subject, text, html = skeleton.subject, skeleton.text, skeleton.html
        for name in self.fields:
            raw = str(personal[name])
            placeholder = self.field(name)
            subject = subject.replace(placeholder, " ".join(raw.split()))
            text = text.replace(placeholder, raw)
            html = html.replace(placeholder, str(conditional_escape(raw)))
        return Rendered(subject=subject, text=text, html=html)
