"""Metall-Forum events: the forum, its agenda, registrations and feedback.

Topics, companies, contacts and clusters live in members; forums only point at them.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Cluster, Company, Contact, Topic

# A forum is planned for a date ahead; one whose date has passed keeps it.
PAST_START_MESSAGE = _("The start lies in the past. Please choose a date in the future.")


def default_reminder_days() -> list[int]:
    """Reminders go out 7 days and 1 day before a forum unless staff choose otherwise."""
    return [7, 1]


class Forum(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Members only")
        NETWORK = "network", _("Members and network partners")
        OPEN = "open", _("Open, with approval")

    # Stable identity for calendars: the iCalendar UID never changes, SEQUENCE does.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="forums", verbose_name=_("Cluster")
    )
    title = models.CharField(_("Title"), max_length=200)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("Topics"), blank=True, related_name="forums"
    )
    description = models.TextField(_("Description"), blank=True)
    starts_at = models.DateTimeField(_("Starts at"))
    ends_at = models.DateTimeField(_("Ends at"))
    host_company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_forums",
        verbose_name=_("Host company"),
    )
    venue_name = models.CharField(_("Venue"), max_length=200, blank=True)
    venue_street = models.CharField(_("Street"), max_length=120, blank=True)
    venue_postcode = models.CharField(_("Postcode"), max_length=10, blank=True)
    venue_city = models.CharField(_("City"), max_length=80, blank=True)
    capacity = models.PositiveIntegerField(_("Seats"), validators=[MinValueValidator(1)])
    seats_per_company = models.PositiveSmallIntegerField(
        _("Seats per company"), default=2, validators=[MinValueValidator(1)]
    )
    registration_opens_at = models.DateTimeField(_("Registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("Registration closes"), null=True, blank=True)
    audience = models.CharField(
        _("Audience"), max_length=10, choices=Audience.choices, default=Audience.NETWORK
    )
    state = models.CharField(_("State"), max_length=10, choices=State.choices, default=State.DRAFT)
    # iCalendar SEQUENCE: rises whenever attendees' calendars must update (reschedule, cancel).
    sequence = models.PositiveIntegerField(_("Calendar revision"), default=0, editable=False)
    # Days before the start at which confirmed registrants get a reminder (JSON: SQLite too).
    reminder_days = models.JSONField(
        _("Reminder days before"), default=default_reminder_days, blank=True
    )
    cancel_reason = models.TextField(_("Reason for cancellation"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("Metal forum")
        verbose_name_plural = _("Metal forums")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="forum_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="forum_capacity_positive"),
            models.CheckConstraint(
                condition=Q(seats_per_company__gte=1), name="forum_company_seats_positive"
            ),
        ]
        indexes = [models.Index(fields=["state", "starts_at"])]

    def __str__(self):
        return self.title

    @property
    def effective_closes_at(self):
        """Registration closes at the set time, or at the latest when the forum starts."""
        return self.registration_closes_at or self.starts_at

    def is_registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.state != self.State.PUBLISHED:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return now < self.effective_closes_at

    def has_ended(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    @property
    def venue_lines(self) -> list[str]:
        """The address to show: the free address, else the host company's address."""
        if self.venue_street or self.venue_city:
            lines = [self.venue_name, self.venue_street]
            lines.append(" ".join(p for p in (self.venue_postcode, self.venue_city) if p))
        elif self.host_company_id:
            host = self.host_company
            lines = [self.venue_name or host.legal_name, host.street]
            lines.append(" ".join(p for p in (host.postcode, host.city) if p))
        else:
            lines = [self.venue_name]
        return [line for line in lines if line]

    @property
    def location_text(self) -> str:
        return ", ".join(self.venue_lines)


# The fields of a forum that staff write, in the form and through forum_create/forum_update:
# one list for both (topics and agenda are written beside them).
FORUM_FIELDS = (
    "cluster",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "host_company",
    "venue_name",
    "venue_street",
    "venue_postcode",
    "venue_city",
    "capacity",
    "seats_per_company",
    "registration_opens_at",
    "registration_closes_at",
    "audience",
    "reminder_days",
)


class AgendaItem(models.Model):
    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("Forum")
    )
    # Times of day: they stay right when the whole forum moves to another date.
    starts_at = models.TimeField(_("From"))
    ends_at = models.TimeField(_("To"), null=True, blank=True)
    title = models.CharField(_("Item"), max_length=200)
    speaker = models.CharField(_("Speaker"), max_length=200, blank=True)
    description = models.TextField(_("Description"), blank=True)

    class Meta:
        ordering = ["forum", "starts_at", "pk"]
        verbose_name = _("Agenda item")
        verbose_name_plural = _("Agenda")

    def __str__(self):
        return f"{self.starts_at:%H:%M} {self.title}"


class Registration(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("No-show")

    class Source(models.TextChoices):
        PORTAL = "portal", _("Portal")
        INVITATION = "invitation", _("Invitation link")
        STAFF = "staff", _("Cluster management")
        PUBLIC = "public", _("Public forum page")

    # States that hold a seat, and states that still count as "registered".
    SEAT_STATES = (State.CONFIRMED, State.ATTENDED)
    ACTIVE_STATES = (State.PENDING, State.CONFIRMED, State.WAITLISTED, State.ATTENDED)

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("Forum")
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        related_name="forum_registrations",
        verbose_name=_("Contact"),
    )
    # The contact's company when registering: the per-company cap counts by it.
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        related_name="forum_registrations",
        verbose_name=_("Company"),
    )
    state = models.CharField(_("State"), max_length=10, choices=State.choices)
    source = models.CharField(_("Source"), max_length=10, choices=Source.choices)
    # Arrival order on the waiting list; set while the forum row is locked, so it is gap-free
    # enough and never duplicated within one forum.
    waitlist_position = models.PositiveIntegerField(_("Waiting list position"), null=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    note = models.CharField(_("Note"), max_length=300, blank=True)
    # When the person agreed to appear on the attendee list other registered members see
    # (forums.attendees); empty means not listed.
    listed_since = models.DateTimeField(_("on the attendee list since"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("waitlisted"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    # Who moved whom when: staff moves, check-ins and cancellations stay traceable.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["forum", "created_at", "pk"]
        verbose_name = _("Registration")
        verbose_name_plural = _("Registrations")
        constraints = [
            # One live registration per person and forum; a cancelled one may be renewed.
            models.UniqueConstraint(
                fields=["forum", "contact"],
                condition=~Q(state="cancelled"),
                name="registration_one_active_per_contact",
            ),
            models.UniqueConstraint(
                fields=["forum", "waitlist_position"],
                condition=Q(state="waitlisted"),
                name="registration_unique_waitlist_position",
            ),
            models.CheckConstraint(
                condition=~Q(state="waitlisted") | Q(waitlist_position__isnull=False),
                name="registration_waitlisted_has_position",
            ),
        ]
        indexes = [
            models.Index(fields=["forum", "state"]),
            models.Index(fields=["forum", "company", "state"]),
        ]

    def __str__(self):
        return f"{self.contact} – {self.forum}"

    def can_cancel(self, now=None) -> bool:
        """A registration can be withdrawn until the forum starts."""
        if self.state not in (self.State.PENDING, self.State.CONFIRMED, self.State.WAITLISTED):
            return False
        return (now or timezone.now()) < self.forum.starts_at

    @property
    def holds_seat(self) -> bool:
        return self.state in self.SEAT_STATES

    # State transitions: the one place where a state and the fields that go with it change.
    # The services decide whether a transition is allowed (under the forum's lock) and save.

    def confirm(self, *, now) -> None:
        """A seat: off the waiting list, confirmed now."""
        self.state = self.State.CONFIRMED
        self.waitlist_position = None
        self.confirmed_at = now

    def put_on_waitlist(self, *, position: int, now) -> None:
        """A place at `position` of the waiting list; a seat held before is given up."""
        self.state = self.State.WAITLISTED
        self.waitlist_position = position
        self.waitlisted_at = now
        self.confirmed_at = None

    def await_approval(self) -> None:
        self.state = self.State.PENDING

    def cancel(self, *, now) -> None:
        self.state = self.State.CANCELLED
        self.waitlist_position = None
        self.cancelled_at = now

    def check_in(self, *, now) -> None:
        self.state = self.State.ATTENDED
        self.waitlist_position = None
        self.attended_at = now

    def mark_no_show(self) -> None:
        """Held a seat and did not come (the forum is closed)."""
        self.state = self.State.NO_SHOW

    def undo_check_in(self, *, forum_held: bool) -> None:
        """Back to a seat, or "not there" once the forum is over."""
        self.state = self.State.NO_SHOW if forum_held else self.State.CONFIRMED
        self.attended_at = None

    @property
    def outbox_scope(self):
        """Mails about a registration are listed under its forum on the staff mail page."""
        return self.forum


class Feedback(models.Model):
    """An attendee's rating of a held forum."""

    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("Registration"),
    )
    rating = models.PositiveSmallIntegerField(
        _("Rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("Comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("Feedback")
        verbose_name_plural = _("Feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.registration}: {self.rating}"
