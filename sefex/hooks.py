"""Extension points for apps above sefex (funding evidence, for one), so sefex imports none
of them.

- `register_booking_check(func)`: `func(*, workshop, starts_at, ends_at, actor)` runs inside the
  booking transaction, after the workshop, its project manager and its company are locked and
  before the time is written (choosing a slot, booking directly, moving). Raise a
  `django.core.exceptions.ValidationError` with a message for the user to refuse the booking
  (e.g. no current de-minimis declaration, ceiling reached); nothing is then written.
- `workshop_booked` signal: sent inside the booking transaction once the time is written
  (choosing a slot, booking directly, moving, changing the hours of a booked workshop; kwargs:
  workshop, actor). The binding booking is when de-minimis aid is granted.
- `workshop_cancelled` signal: sent inside the transaction that cancels a workshop (kwargs:
  workshop, actor, was_booked).
- `workshop_held` signal: sent inside the transaction that marks a workshop as held
  (kwargs: workshop, actor), so a record created by a receiver commits or rolls back with it.
  The workshop carries what a funding record needs: company, module, programme (hourly value,
  company contribution per hour), duration_hours, held_on.
"""

from collections.abc import Callable

from django.dispatch import Signal

_booking_checks: dict[str, Callable] = {}

workshop_booked = Signal()
workshop_cancelled = Signal()
workshop_held = Signal()


def register_booking_check(func: Callable, *, key: str | None = None) -> None:
    """Adds (or replaces, by key: ``ready()`` may run twice) a check run before every booking."""
    _booking_checks[key or f"{func.__module__}.{func.__qualname__}"] = func


def unregister_booking_check(key: str) -> None:
    _booking_checks.pop(key, None)


def run_booking_checks(*, workshop, starts_at, ends_at, actor) -> None:
    for check in list(_booking_checks.values()):
        check(workshop=workshop, starts_at=starts_at, ends_at=ends_at, actor=actor)
