"""Who an invitation of a forum reaches, and why each of the others does not.

The staff's filter (members.filters.ContactFilter) picks contacts; then every contact gets
one reason, the first that applies (the forum's rules, no address, already invited, ...),
or "send". The page's counts, the list of recipients, its download and the send all come
from that one expression, in SQL: the lists of contacts already invited, suppressed or
consenting are subqueries (the outbox's mail and batch rows), never ids read into Python.
The mechanism and the checks every advertising mail shares are in outbox.audience.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower, Trim
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.filters import ContactFilter
from members.models import Contact, Relationship
from members.selectors import current_relationship_q
from outbox import audience as shared
from outbox.audience import SEND, SHARED_ADDRESS, Exclusion, Summary  # noqa: F401 - API
from outbox.models import Batch, BatchRecipient, Mail

from .models import Forum, Registration

INVITATION = "forum_invitation"
FOLLOWUP = "forum_invitation_followup"
KINDS = (INVITATION, FOLLOWUP)

# The relationships to the forum's cluster whose contacts a forum's invitation may reach:
# the same rule the registration applies, so nobody is invited only to be refused.
AUDIENCE_KINDS = {
    Forum.Audience.MEMBERS: [Relationship.Kind.MEMBER],
    Forum.Audience.NETWORK: [Relationship.Kind.MEMBER, Relationship.Kind.PARTNER],
    Forum.Audience.OPEN: list(Relationship.Kind.values),
}

# The filter fields that would contradict a rule applied anyway (the company's choice).
HIDDEN_FILTERS = ("receives_invitations", "undeliverable")


def contact_filter(data) -> ContactFilter:
    """The staff's filter of the invitation page, without the fields the rules decide."""
    return shared.contact_filter(data, HIDDEN_FILTERS)


def matching_contacts(data) -> tuple[ContactFilter, QuerySet[Contact]]:
    """The contacts the staff's filter selects (all contacts without a filter)."""
    return shared.matching_contacts(data, HIDDEN_FILTERS)


def forum_batches(forum: Forum, kind: str | None = None) -> QuerySet[Batch]:
    batches = Batch.objects.filter(
        content_type=ContentType.objects.get_for_model(Forum),
        object_id=forum.pk,
        kind__in=list(KINDS),
    )
    return batches.filter(kind=kind) if kind else batches


def forum_mails(forum: Forum, kind: str) -> QuerySet[Mail]:
    """The forum's mails of this kind that went or are going out (withdrawn ones do not count)."""
    return Mail.objects.filter(
        kind=kind, content_type=ContentType.objects.get_for_model(Forum), object_id=forum.pk
    ).exclude(state=Mail.State.CANCELLED)


def _outside_forum_rules(forum: Forum) -> Q:
    allowed = Relationship.objects.filter(
        current_relationship_q(),
        cluster_id=forum.cluster_id,
        kind__in=AUDIENCE_KINDS[forum.audience],
    ).values("company_id")
    return ~Q(company_id__in=allowed)


def _already(forum: Forum, kind: str) -> Q:
    """Has this mail (to the contact or to the same address), or is in a send of it."""
    mails = forum_mails(forum, kind)
    in_batches = BatchRecipient.objects.filter(batch__in=forum_batches(forum, kind))
    batch_addresses = in_batches.annotate(address=Lower(Trim("contact__email"))).values("address")
    return (
        Q(pk__in=mails.filter(contact_id__isnull=False).values("contact_id"))
        | Q(address__in=mails.values("recipient_email"))
        | Q(pk__in=in_batches.values("contact_id"))
        | Q(address__in=batch_addresses)
    )


def _forum_rules_label(forum: Forum) -> str:
    return _("Outside this forum's audience (%(cluster)s: %(audience)s)") % {
        "cluster": forum.cluster.name,
        "audience": forum.get_audience_display(),
    }


def reasons(forum: Forum, kind: str) -> list[tuple[str, str | Promise, Q]]:
    """(key, label, condition) in the order they are checked; the first that holds counts.

    Built once per forum object and kind: a page asks for them three times (the counts, their
    labels, the recipients), and building the subqueries is a good share of its time."""
    built = forum.__dict__.setdefault("audience_reasons", {})
    if kind not in built:
        built[kind] = shared.built(_reason_specs(forum, kind))
    return built[kind]


def reason_labels(forum: Forum, kind: str) -> list[tuple[str, str | Promise]]:
    """(key, label) of `reasons`, without building their subqueries (for cached counts)."""
    return [(key, label) for key, label, _build in _reason_specs(forum, kind)]


def _reason_specs(forum: Forum, kind: str) -> list[shared.Check]:
    """(key, label, a function building the condition): labels are cheap, conditions not."""
    registrations = Registration.objects.filter(forum=forum)
    checks: list[shared.Check] = [
        ("forum_rules", _forum_rules_label(forum), lambda: _outside_forum_rules(forum)),
        shared.no_address_check(),
    ]
    if kind == FOLLOWUP:

        def not_invited() -> Q:
            sent = forum_mails(forum, INVITATION).filter(
                state=Mail.State.SENT, contact_id__isnull=False
            )
            return ~Q(pk__in=sent.values("contact_id"))

        checks += [
            (
                "already",
                _("Already received the follow-up or are being sent it"),
                lambda: _already(forum, kind),
            ),
            ("not_invited", _("Did not receive the invitation"), not_invited),
            (
                "answered",
                _("Answered the invitation (registered or cancelled)"),
                lambda: Q(pk__in=registrations.values("contact_id")),
            ),
        ]
    else:

        def registered() -> Q:
            active = registrations.filter(state__in=Registration.ACTIVE_STATES)
            return Q(pk__in=active.values("contact_id"))

        checks += [
            ("registered", _("Already registered"), registered),
            (
                "already",
                _("Already invited or being sent the invitation"),
                lambda: _already(forum, kind),
            ),
        ]
    checks.append(
        (
            "not_receiving",
            _("Their company chose not to forward invitations to them"),
            lambda: Q(receives_invitations=False),
        )
    )
    checks += shared.legal_basis_checks()
    checks += shared.opt_out_checks()
    return checks


def with_reason(forum: Forum, queryset: QuerySet[Contact], kind: str) -> QuerySet[Contact]:
    """Each contact with `address` (lower-case) and `reason`: the first exclusion or SEND."""
    return shared.with_reason(queryset, reasons(forum, kind))


def summary_counts(forum: Forum, queryset: QuerySet[Contact], kind: str) -> dict[str, list[int]]:
    """{reason: [contacts, distinct addresses]}, in one query (what `summary` is made of)."""
    return shared.counts_by_reason(queryset, reasons(forum, kind))


def summary(forum: Forum, queryset: QuerySet[Contact], kind: str, counts=None) -> Summary:
    """Every exclusion with its count, and the recipients' count (`counts` from
    `summary_counts`, computed here when not given)."""
    if counts is None:
        counts = summary_counts(forum, queryset, kind)
    return shared.summary_of(counts, reason_labels(forum, kind))


def recipients(forum: Forum, queryset: QuerySet[Contact], kind: str) -> QuerySet[Contact]:
    """Who gets the mail, one contact per address (the first entered), by company and name."""
    return shared.recipients(queryset, reasons(forum, kind))
