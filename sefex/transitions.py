"""A workshop's state transitions: the one place where its state and the fields that go with it
change. The services decide whether a transition is allowed (roles, locks, times) and save."""

from django.utils import timezone


class WorkshopTransitions:
    """Mixed into `sefex.models.Workshop`."""

    def propose_slots(self) -> None:
        self.state = self.State.SLOTS_PROPOSED

    def schedule(self) -> None:
        """An appointment is fixed (its time is written by the booking, which checks it)."""
        self.state = self.State.SCHEDULED

    def move(self) -> None:
        """Another time: the iCalendar SEQUENCE rises, so calendars take the new entry."""
        self.sequence += 1

    def cancel(self, *, reason: str, now=None) -> bool:
        """Cancelled, with its reason; returns whether it had an appointment (calendars that got
        the entry then take the cancellation)."""
        was_booked = self.state == self.State.SCHEDULED
        self.state = self.State.CANCELLED
        self.cancelled_at = now or timezone.now()
        self.cancel_reason = reason
        if was_booked:
            self.sequence += 1
        return was_booked

    def mark_held(self) -> None:
        self.state = self.State.HELD
        self.held_on = timezone.localdate(self.starts_at)

    def release_minutes(self, *, now=None) -> None:
        self.state = self.State.DOCUMENTED
        self.documented_at = now or timezone.now()

    def close(self, *, now=None) -> None:
        self.state = self.State.CLOSED
        self.closed_at = now or timezone.now()
