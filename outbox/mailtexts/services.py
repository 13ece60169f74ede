"""Writes of the edited mail texts: save a version, reset to the default, send a test.

Each save or reset is a new MailText row with who and when, of one cluster or agency-wide
(`cluster=None`); nothing is overwritten, so the history stays. Mails already queued are rows
with their own rendered text: a change affects only mails rendered after it. Who may write
which cluster's text is the view's check (members.clusters).
"""

import logging
import uuid
from dataclasses import replace

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from members.identity import identity_for
from members.models import Cluster

from ..audit import MailTextAction
from ..catalogue import OUTBOX_TEST, MailKind
from ..models import Mail, MailText
from ..services import mail_queue
from . import placeholders
from .catalogue import placeholders_of
from .preview import render_draft
from .selectors import cache_key, newest_version

log = logging.getLogger(__name__)

TEST_KIND = OUTBOX_TEST.kind


def _forget(template: str, language: str, cluster: Cluster | None) -> None:
    # At once for this process's next render, and again after the commit, so a render in
    # another process that read the old row meanwhile does not keep it in the cache. The
    # agency-wide text is inherited by every cluster without its own: all their entries go.
    if cluster is not None:
        keys = [cache_key(template, language, cluster.pk)]
    else:
        ids = [None, *Cluster.objects.values_list("pk", flat=True)]
        keys = [cache_key(template, language, cluster_id) for cluster_id in ids]
    _cache_delete(keys)
    transaction.on_commit(lambda: _cache_delete(keys))


def _cache_delete(keys: list[str]) -> None:
    try:
        cache.delete_many(keys)
    except Exception:  # Redis away: its entries expire (selectors.CACHE_SECONDS)
        log.warning("outbox: could not drop the cached mail texts %s", keys, exc_info=True)


def _cluster_id(cluster: Cluster | None) -> int | None:
    return cluster.pk if cluster is not None else None


def _check_cluster(mail_type: MailKind, cluster: Cluster | None) -> None:
    if cluster is not None and not mail_type.per_cluster:
        raise ValidationError(
            _("This mail belongs to no cluster: only its agency-wide text can be edited.")
        )


def mail_text_check(*, mail_type: MailKind, language: str, draft: dict) -> None:
    """Raises a ValidationError with every problem of a draft (German when active)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."))
    errors = []
    if not draft.get("subject", "").strip():
        errors.append(_("Please enter a subject."))
    if not draft.get("body_markdown", "").strip():
        errors.append(_("Please enter the text of the mail."))
    try:
        placeholders.check_all(
            {
                _("Subject"): draft.get("subject", ""),
                _("Text version"): draft.get("text", ""),
                _("Mail text (Markdown)"): draft.get("body_markdown", ""),
            },
            placeholders_of(mail_type),
        )
    except ValidationError as exc:
        errors += exc.messages
    if errors:
        raise ValidationError(errors)


def mail_text_save(
    *, mail_type: MailKind, language: str, draft: dict, actor, cluster: Cluster | None = None
) -> MailText:
    """Checks the draft and makes it the cluster's text (without a cluster: the agency-wide
    text); nothing is written if it has errors."""
    _check_cluster(mail_type, cluster)
    mail_text_check(mail_type=mail_type, language=language, draft=draft)
    with transaction.atomic(durable=True):
        version = MailText.objects.create(
            template=mail_type.template,
            language=language,
            cluster=cluster,
            subject=draft["subject"].strip(),
            text=draft.get("text", "").strip(),
            body_markdown=draft["body_markdown"].strip(),
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action=MailTextAction.SAVED,
            obj=version,
            after=audit.values(version, ["template", "language", "cluster", "subject"]),
        )
        _forget(mail_type.template, language, cluster)
    return version


def mail_text_reset(
    *, mail_type: MailKind, language: str, actor, cluster: Cluster | None = None
) -> MailText:
    """A cluster inherits the agency-wide text again; the agency-wide text goes back to the
    shipped default. The edited versions stay in the history."""
    _check_cluster(mail_type, cluster)
    with transaction.atomic(durable=True):
        newest = newest_version(mail_type.template, language, _cluster_id(cluster))
        if newest is None or newest.is_default:
            if cluster is not None:
                raise ValidationError(_("This cluster already uses the agency-wide text."))
            raise ValidationError(_("This mail already uses the default text."))
        version = MailText.objects.create(
            template=mail_type.template,
            language=language,
            cluster=cluster,
            is_default=True,
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action=MailTextAction.RESET,
            obj=version,
            after=audit.values(version, ["template", "language", "cluster"]),
        )
        _forget(mail_type.template, language, cluster)
    return version


def mail_text_test_send(
    *, mail_type: MailKind, language: str, draft: dict, actor, cluster: Cluster | None = None
) -> Mail:
    """Sends the draft, filled with the kind's sample data and signed by the cluster (or the
    agency), to the actor's own address through the outbox (so it shows up there like any
    mail). Saves no text."""
    if not getattr(actor, "email", ""):
        raise ValidationError(_("Your login has no e-mail address to send the test to."))
    _check_cluster(mail_type, cluster)
    mail_text_check(mail_type=mail_type, language=language, draft=draft)
    identity = identity_for(cluster)
    rendered = render_draft(
        mail_type, language, draft, recipient_email=actor.email, identity=identity
    )
    with transaction.atomic(durable=True):
        return mail_queue(
            kind=TEST_KIND,
            related=actor,
            recipient_email=actor.email,
            language=language,
            rendered=replace(
                rendered, subject=_("[Test] %(subject)s") % {"subject": rendered.subject}
            ),
            key_suffix=f"mailtext-test-{uuid.uuid4().hex}",
            identity=identity,
        )
