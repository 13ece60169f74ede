"""Who an advertising bulk mail (a forum invitation, a circular) reaches, and why each of the
others does not.

The staff's filter (members.filters.ContactFilter) picks contacts; the caller lists its
checks, (key, label, condition), in the order they apply; every contact gets the key of the
first that holds, or SEND. Counts, the list of recipients and the send all come from that one
SQL expression. The checks every advertising mail shares (no address, the legal basis for
non-members, opt-out, bounces) are here, so each sender adds only its own.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, CharField, Count, F, Min, Q, QuerySet, Value, When, Window
from django.db.models.functions import Lower, Trim
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from members.filters import ContactFilter
from members.models import Contact

from .models import Suppression

SEND = "send"
SHARED_ADDRESS = "shared_address"

# (key, label, condition): the condition as a Q, or a function building it, so the labels of
# cached counts cost no subqueries.
Check = tuple[str, str | Promise, Q | Callable[[], Q]]


@dataclass(frozen=True)
class Exclusion:
    key: str
    label: str | Promise
    count: int


@dataclass(frozen=True)
class Summary:
    """The counts of an audience: matching = sum of the exclusions + to_send."""

    matching: int
    exclusions: list[Exclusion]
    to_send: int

    def count(self, key: str) -> int:
        return next((e.count for e in self.exclusions if e.key == key), 0)

    @property
    def excluded(self) -> int:
        return sum(e.count for e in self.exclusions)


def contact_filter(data, hidden: tuple[str, ...] = ()) -> ContactFilter:
    """The staff's filter, without the fields `hidden` (those a rule decides anyway)."""
    bound = ContactFilter(data or None, queryset=Contact.objects.all())
    for name in hidden:
        bound.filters.pop(name, None)
        bound.form.fields.pop(name, None)
    return bound


def matching_contacts(data, hidden: tuple[str, ...] = ()) -> tuple[ContactFilter, QuerySet]:
    """The contacts the staff's filter selects (all contacts without a filter, none when the
    filter is invalid)."""
    bound = contact_filter(data, hidden)
    if not bound.is_bound:
        return bound, Contact.objects.all()
    if bound.is_valid():
        return bound, bound.qs
    return bound, Contact.objects.none()


def address():
    """The contact's address as the outbox stores it (lower-case, trimmed)."""
    return Lower(Trim("email"))


def suppressed(*reasons: str) -> Q:
    """The contact's address is on the suppression list for one of `reasons`."""
    addresses = (
        Suppression.objects.filter(reason__in=reasons)
        .annotate(address=Lower("email"))
        .values("address")
    )
    return Q(address__in=addresses)


def no_address_check() -> Check:
    return ("no_email", _("Without e-mail address"), Q(email=""))


def legal_basis_keepers() -> list[Callable]:
    """The checks of apps above the outbox (privacy: double opt-in for non-members), as set in
    INVITATION_AUDIENCE_FILTERS: each takes contacts and keeps those that may be written to."""
    return [import_string(path) for path in getattr(settings, "INVITATION_AUDIENCE_FILTERS", ())]


def legal_basis_checks() -> list[Check]:
    """Each legal basis check as "not among the contacts it keeps"."""
    checks = []
    for index, keep in enumerate(legal_basis_keepers()):
        key = getattr(keep, "exclusion_key", f"legal_basis_{index}")
        label = getattr(keep, "exclusion_label", _("Excluded by a legal basis check"))
        checks.append(
            (key, label, lambda keep=keep: ~Q(pk__in=keep(Contact.objects.all()).values("pk")))
        )
    return checks


def opt_out_checks() -> list[Check]:
    return [
        (
            "opted_out",
            _("Opted out or blocked by the cluster management"),
            lambda: (
                Q(opted_out_at__isnull=False)
                | suppressed(Suppression.Reason.OPT_OUT, Suppression.Reason.MANUAL)
            ),
        ),
        (
            "bounced",
            _("Undeliverable address (bounced)"),
            lambda: Q(undeliverable_at__isnull=False) | suppressed(Suppression.Reason.BOUNCE),
        ),
    ]


def built(checks: list[Check]) -> list[tuple[str, str | Promise, Q]]:
    """The checks with their conditions built (once, for a page that uses them repeatedly)."""
    return [(key, label, cond() if callable(cond) else cond) for key, label, cond in checks]


def with_reason(queryset: QuerySet[Contact], checks: list[Check]) -> QuerySet[Contact]:
    """Each contact with `address` (lower-case) and `reason`: the first exclusion or SEND."""
    return queryset.annotate(address=address()).annotate(
        reason=Case(
            *(When(condition, then=Value(key)) for key, _label, condition in built(checks)),
            default=Value(SEND),
            output_field=CharField(),
        )
    )


def counts_by_reason(queryset: QuerySet[Contact], checks: list[Check]) -> dict[str, list[int]]:
    """{reason: [contacts, distinct addresses]}, in one query: plain numbers, so they can be
    cached (the labels follow the reader's language)."""
    rows = (
        with_reason(queryset, checks)
        .order_by()
        .values("reason")
        .annotate(contacts=Count("pk"), addresses=Count("address", distinct=True))
    )
    return {row["reason"]: [row["contacts"], row["addresses"]] for row in rows}


def summary_of(counts: dict[str, list[int]], labels: list[tuple[str, str | Promise]]) -> Summary:
    """The Summary of `counts_by_reason`, each exclusion with its label."""
    contacts_sending, addresses_sending = counts.get(SEND, [0, 0])
    exclusions = [Exclusion(key, label, counts.get(key, [0, 0])[0]) for key, label in labels]
    exclusions.append(
        Exclusion(
            SHARED_ADDRESS,
            _("Same address as another recipient (one mail per mailbox)"),
            contacts_sending - addresses_sending,
        )
    )
    return Summary(
        matching=sum(contacts for contacts, _addresses in counts.values()),
        exclusions=exclusions,
        to_send=addresses_sending,
    )


def summarise(queryset: QuerySet[Contact], checks: list[Check]) -> Summary:
    """Every exclusion with its count, and the recipients' count, in one query."""
    labels = [(key, label) for key, label, _condition in checks]
    return summary_of(counts_by_reason(queryset, checks), labels)


def recipients(queryset: QuerySet[Contact], checks: list[Check]) -> QuerySet[Contact]:
    """Who gets the mail, one contact per address (the first entered), by company and name."""
    # A window over the recipients, not a grouped subquery: one pass whatever the planner
    # guesses about the sizes.
    first_of_address = Window(Min("pk"), partition_by=[F("address")])
    return (
        with_reason(queryset, checks)
        .filter(reason=SEND)
        .annotate(first_of_address=first_of_address)
        .filter(pk=F("first_of_address"))
        .select_related("company")
        .order_by(Lower("company__legal_name"), "last_name", "first_name", "pk")
    )
