"""SEFEX: the workshop programme, workshops with one company each, their scheduling and minutes.
Companies, contacts and users live in members; sefex only points at them. State transitions of a
workshop are in sefex.transitions.

Double booking is excluded by the database on PostgreSQL: migration 0002 adds two exclusion
constraints (btree_gist over a tstzrange of starts_at/ends_at) for the project manager and for the
company, limited to workshops that occupy time (BOOKED_STATES). The services check the same rule
first under a row lock, so people get a clear message instead of an IntegrityError, and SQLite
(`make run`) gets the rule too.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Company, Contact

from .transitions import WorkshopTransitions


class Programme(models.Model):
    """The funded project: its period, how many workshops are planned and what an hour is worth."""

    name = models.CharField(_("Name"), max_length=200)
    funding_start = models.DateField(_("Funding period from"))
    funding_end = models.DateField(_("Funding period until"))
    planned_workshops = models.PositiveIntegerField(_("Planned number of workshops"), default=0)
    # Value of one consulting hour for the funding records (de-minimis value = hours x this).
    hourly_value = models.DecimalField(
        _("Value per consulting hour (EUR)"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    company_contribution_per_hour = models.DecimalField(
        _("Company contribution per hour (EUR)"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    default_duration_hours = models.DecimalField(
        _("Default workshop duration (hours)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("4"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("12"))],
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-funding_start"]
        verbose_name = _("Programme")
        verbose_name_plural = _("Programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(funding_end__gte=models.F("funding_start")),
                name="sefex_programme_period_ordered",
            )
        ]

    def __str__(self):
        return self.name


class Module(models.Model):
    """A topic of the programme (strategic management, efficiency, expansion ...); editable."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="modules", verbose_name=_("Programme")
    )
    name = models.CharField(_("Name"), max_length=120)
    description = models.TextField(_("Description"), blank=True)
    position = models.PositiveSmallIntegerField(_("Position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["programme", "position", "name"]
        verbose_name = _("Module")
        verbose_name_plural = _("Modules")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="sefex_module_unique_name")
        ]

    def __str__(self):
        return self.name


class Workshop(WorkshopTransitions, models.Model):
    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SLOTS_PROPOSED = "proposed", _("Slots proposed")
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        DOCUMENTED = "documented", _("Documented")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class Place(models.TextChoices):
        COMPANY = "company", _("At the company")
        AGENCY = "agency", _("At the agency")
        ONLINE = "online", _("Online")

    # States in which a workshop occupies its time (the exclusion constraints use this list).
    BOOKED_STATES = (State.SCHEDULED, State.HELD, State.DOCUMENTED, State.CLOSED)
    OPEN_STATES = (State.REQUESTED, State.SLOTS_PROPOSED)
    DOCUMENTING_STATES = (State.HELD, State.DOCUMENTED)  # the minutes may still be edited
    MINUTES_STATES = (State.DOCUMENTED, State.CLOSED)  # the company has the minutes

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="workshops", verbose_name=_("Programme")
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="sefex_workshops", verbose_name=_("Company")
    )
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="workshops", verbose_name=_("Module")
    )
    project_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sefex_workshops",
        verbose_name=_("Project manager"),
    )
    state = models.CharField(
        _("State"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    # The request
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sefex_requests",
        verbose_name=_("Requested by"),
    )
    preferred_from = models.DateField(_("Preferred from"), null=True, blank=True)
    preferred_until = models.DateField(_("Preferred until"), null=True, blank=True)
    request_note = models.TextField(_("Note"), blank=True)
    # The appointment
    starts_at = models.DateTimeField(_("Starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("Ends at"), null=True, blank=True)
    duration_hours = models.DecimalField(
        _("Duration (hours)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("4"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("12"))],
    )
    place = models.CharField(
        _("Place"), max_length=10, choices=Place.choices, default=Place.COMPANY
    )
    place_detail = models.CharField(_("Address or room"), max_length=200, blank=True)
    online_url = models.URLField(_("Online meeting link"), blank=True)
    participants = models.ManyToManyField(
        Contact,
        verbose_name=_("Participants of the company"),
        blank=True,
        related_name="sefex_workshops",
    )
    consultants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Consultants"),
        blank=True,
        related_name="sefex_consulting",
    )
    sequence = models.PositiveIntegerField(_("Calendar revision"), default=0, editable=False)
    # The minutes
    agenda = models.TextField(_("Agenda"), blank=True)
    summary = models.TextField(_("Summary"), blank=True)
    # Lifecycle dates (funding records use held_on)
    held_on = models.DateField(_("Held on"), null=True, blank=True)
    documented_at = models.DateTimeField(_("Documented at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("Closed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("Cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("Reason for cancellation"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-starts_at", "-created_at"]
        verbose_name = _("Workshop")
        verbose_name_plural = _("Workshops")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="sefex_workshop_times_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["scheduled", "held", "documented", "closed"])
                | Q(starts_at__isnull=False, project_manager__isnull=False),
                name="sefex_workshop_booked_has_time_and_manager",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "starts_at"], name="sefex_ws_state_start_idx"),
            models.Index(fields=["project_manager", "starts_at"], name="sefex_ws_pm_start_idx"),
        ]

    def __str__(self):
        return f"{self.company} – {self.module}"

    @property
    def is_booked(self) -> bool:
        return self.state in self.BOOKED_STATES

    @property
    def place_text(self) -> str:
        if self.place == self.Place.ONLINE:
            return self.online_url or str(self.get_place_display())
        parts = [str(self.get_place_display()), self.place_detail]
        return ", ".join(p for p in parts if p)

    def can_cancel(self) -> bool:
        return self.state in (*self.OPEN_STATES, self.State.SCHEDULED)

    def can_pick_slot(self) -> bool:
        return self.state == self.State.SLOTS_PROPOSED


class ProposedSlot(models.Model):
    """One of the two or three appointments offered to the company for a workshop."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="slots", verbose_name=_("Workshop")
    )
    starts_at = models.DateTimeField(_("Starts at"))
    ends_at = models.DateTimeField(_("Ends at"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("Proposed slot")
        verbose_name_plural = _("Proposed slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="sefex_slot_times_ordered"
            ),
            models.UniqueConstraint(
                fields=["workshop", "starts_at"], name="sefex_slot_unique_start"
            ),
        ]

    def __str__(self):
        return f"{self.workshop}: {self.starts_at:%Y-%m-%d %H:%M}"


class AvailabilityRule(models.Model):
    """A weekly recurring time in which a project manager can hold workshops (Berlin time)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    project_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sefex_availability",
        verbose_name=_("Project manager"),
    )
    weekday = models.PositiveSmallIntegerField(_("Weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("From"))
    end_time = models.TimeField(_("Until"))
    valid_from = models.DateField(_("Valid from"))
    valid_until = models.DateField(_("Valid until"), null=True, blank=True)

    class Meta:
        ordering = ["project_manager", "weekday", "start_time"]
        verbose_name = _("Availability")
        verbose_name_plural = _("Availability")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="sefex_availability_times_ordered",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="sefex_availability_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class AvailabilityException(models.Model):
    """A day (or part of a day) on which the weekly availability does not apply."""

    project_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sefex_absences",
        verbose_name=_("Project manager"),
    )
    date = models.DateField(_("Date"))
    # Both empty: the whole day.
    start_time = models.TimeField(_("From"), null=True, blank=True)
    end_time = models.TimeField(_("Until"), null=True, blank=True)
    note = models.CharField(_("Note"), max_length=200, blank=True)

    class Meta:
        ordering = ["project_manager", "date", "start_time"]
        verbose_name = _("Availability exception")
        verbose_name_plural = _("Availability exceptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__isnull=True, end_time__isnull=True)
                | Q(end_time__gt=models.F("start_time")),
                name="sefex_exception_times_ordered",
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.note}"


class Finding(models.Model):
    """What the workshop found for one module: the situation and the goals."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="findings", verbose_name=_("Workshop")
    )
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="findings", verbose_name=_("Module")
    )
    situation = models.TextField(_("Situation"), blank=True)
    goals = models.TextField(_("Goals"), blank=True)

    class Meta:
        ordering = ["workshop", "module__position", "module__name"]
        verbose_name = _("Finding")
        verbose_name_plural = _("Findings")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "module"], name="sefex_finding_per_module")
        ]

    def __str__(self):
        return f"{self.workshop}: {self.module}"


class ActionItem(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("Workshop")
    )
    title = models.CharField(_("Action"), max_length=300)
    owner = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sefex_action_items",
        verbose_name=_("Owner"),
    )
    due_on = models.DateField(_("Due on"), null=True, blank=True)
    state = models.CharField(_("State"), max_length=8, choices=State.choices, default=State.OPEN)
    done_at = models.DateTimeField(_("Done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Done by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["state", "due_on", "pk"]
        verbose_name = _("Action item")
        verbose_name_plural = _("Action items")

    def __str__(self):
        return self.title


def attachment_path(instance, filename: str) -> str:
    # A random name: the stored path reveals nothing and cannot be guessed; the original name
    # is kept in the row and given back on download.
    return f"sefex/{instance.workshop.uid}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("Workshop")
    )
    file = models.FileField(_("File"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("File name"), max_length=200)
    content_type = models.CharField(_("Type"), max_length=100)
    size = models.PositiveIntegerField(_("Size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("Uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["workshop", "uploaded_at"]
        verbose_name = _("Attachment")
        verbose_name_plural = _("Attachments")

    def __str__(self):
        return self.original_name


SCORE = [MinValueValidator(1), MaxValueValidator(5)]
DIMENSIONS = ("strategy", "market_access", "product_portfolio", "efficiency", "organisation")


class MaturityAssessment(models.Model):
    """The project manager's short assessment of the company at one workshop (1 = low, 5 = high)."""

    DIMENSIONS = DIMENSIONS

    workshop = models.OneToOneField(
        Workshop, on_delete=models.CASCADE, related_name="assessment", verbose_name=_("Workshop")
    )
    strategy = models.PositiveSmallIntegerField(_("Strategy"), validators=SCORE)
    market_access = models.PositiveSmallIntegerField(_("Market access"), validators=SCORE)
    product_portfolio = models.PositiveSmallIntegerField(
        _("Product portfolio"),
        validators=SCORE,
        help_text=_("1 = pure contract manufacturing, 5 = own products"),
    )
    efficiency = models.PositiveSmallIntegerField(_("Efficiency"), validators=SCORE)
    organisation = models.PositiveSmallIntegerField(_("Organisation"), validators=SCORE)
    note = models.TextField(_("Note"), blank=True)
    assessed_at = models.DateTimeField(_("Assessed at"), auto_now=True)

    class Meta:
        verbose_name = _("Maturity assessment")
        verbose_name_plural = _("Maturity assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    **{f"{name}__gte": 1 for name in DIMENSIONS},
                    **{f"{name}__lte": 5 for name in DIMENSIONS},
                ),
                name="sefex_assessment_scores_1_to_5",
            )
        ]

    def __str__(self):
        return str(self.workshop)

    def scores(self) -> list[int]:
        return [getattr(self, name) for name in self.DIMENSIONS]


class Feedback(models.Model):
    """A participant's answer to the follow-up mail after a workshop."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("Workshop")
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="+", verbose_name=_("Contact")
    )
    rating = models.PositiveSmallIntegerField(_("Rating"), validators=SCORE)
    comment = models.TextField(_("Comment"), blank=True)
    submitted_at = models.DateTimeField(_("Submitted at"), auto_now=True)

    class Meta:
        verbose_name = _("Feedback")
        verbose_name_plural = _("Feedback")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "contact"], name="sefex_feedback_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="sefex_feedback_rating_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.workshop}: {self.rating}"
