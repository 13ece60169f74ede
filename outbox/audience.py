"""Who an advertising bulk mail (a forum invitation, a circular) reaches, and why each of the
others does not.

The staff's filter (members.filters.ContactFilter) picks contacts; the caller lists its
checks, (key, label, condition), in the order they apply; every contact gets the key of the
first that holds, or SEND. Counts, the list of recipients and the send all come from that one
SQL expression. The checks every advertising mail shares (no address, the legal basis for
non-members, opt-out, bounces) are here, so each sender adds only its own.
"""

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

Check = tuple[str, str | Promise, Q]


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


def legal_basis_checks() -> list[Check]:
    """The checks of apps above the outbox (privacy: double opt-in for non-members), each as
    "not among the contacts it keeps" (setting INVITATION_AUDIENCE_FILTERS)."""
    checks = []
    for index, path in enumerate(getattr(settings, "INVITATION_AUDIENCE_FILTERS", ())):
        keep = import_string(path)
        key = getattr(keep, "exclusion_key", f"legal_basis_{index}")
        label = getattr(keep, "exclusion_label", _("Excluded by a legal basis check"))
        checks.append((key, label, ~Q(pk__in=keep(Contact.objects.all()).values("pk"))))
    return checks


def opt_out_checks() -> list[Check]:
    return [
        (
            "opted_out",
            _("Opted out or blocked by the cluster management"),
            Q(opted_out_at__isnull=False)
            | suppressed(Suppression.Reason.OPT_OUT, Suppression.Reason.MANUAL),
        ),
        (
            "bounced",
            _("Undeliverable address (bounced)"),
            Q(undeliverable_at__isnull=False) | suppressed(Suppression.Reason.BOUNCE),
        ),
    ]


def with_reason(queryset: QuerySet[Contact], checks: list[Check]) -> QuerySet[Contact]:
    """Each contact with `address` (lower-case) and `reason`: the first exclusion or SEND."""
    return queryset.annotate(address=address()).annotate(
        reason=Case(
            *(When(condition, then=Value(key)) for key, _label, condition in checks),
            default=Value(SEND),
            output_field=CharField(),
        )
    )


def summarise(queryset: QuerySet[Contact], checks: list[Check]) -> Summary:
    """Every exclusion with its count, and the recipients' count, in one query."""
    rows = (
        with_reason(queryset, checks)
        .order_by()
        .values("reason")
        .annotate(contacts=Count("pk"), addresses=Count("address", distinct=True))
    )
    counts = {row["reason"]: row for row in rows}
    sending = counts.get(SEND, {"contacts": 0, "addresses": 0})
    exclusions = [
        Exclusion(key, label, counts.get(key, {"contacts": 0})["contacts"])
        for key, label, _condition in checks
    ]
    exclusions.append(
        Exclusion(
            SHARED_ADDRESS,
            _("Same address as another recipient (one mail per mailbox)"),
            sending["contacts"] - sending["addresses"],
        )
    )
    return Summary(
        matching=sum(row["contacts"] for row in counts.values()),
        exclusions=exclusions,
        to_send=sending["addresses"],
    )


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
