"""Errors reach someone: with SENTRY_DSN, unhandled errors of requests and failed Celery tasks
go to Sentry (sentry-sdk); every log line is a JSON object. Neither carries e-mail addresses
(replaced in every string). Sentry reports carry no names either: values under keys that name
a person (name, e-mail, phone, ...) are dropped, as are local variables, request bodies and the
user, and every name of a contact or login is replaced in the remaining text (the names are
read from the database when an error is reported, at most every five minutes).

Imported by the settings: no Django models here."""

import logging
import re
import time

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
EMAIL_MARK = "[E-Mail]"
REDACTED = "[entfernt]"
# Keys whose values name or reach a person, wherever they appear in a report.
PERSON_KEYS = {
    "email",
    "e_mail",
    "recipient_email",
    "login",
    "username",
    "first_name",
    "last_name",
    "full_name",
    "name",
    "signatory",
    "phone",
    "mobile",
    "contact",
    "user",
}


def scrub_text(text: str) -> str:
    return EMAIL.sub(EMAIL_MARK, text)


def scrub_addresses(value):
    """A copy of `value` (dicts, lists, strings) without e-mail addresses."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: scrub_addresses(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_addresses(item) for item in value]
    return value


def scrub(value):
    """A copy of `value` (dicts, lists, strings) without e-mail addresses and person fields."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {
            key: REDACTED if str(key).lower() in PERSON_KEYS else scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    return value


NAMES_SECONDS = 300
_names = {"pattern": None, "read_at": 0.0}


def names_pattern():
    """One regular expression of every person's name in the database (None if unreadable)."""
    if time.monotonic() - _names["read_at"] < NAMES_SECONDS:
        return _names["pattern"]
    try:
        from django.contrib.auth import get_user_model

        from members.models import Contact

        names = set()
        for model in (Contact, get_user_model()):
            for first, last in model.objects.values_list("first_name", "last_name"):
                names.update(part for part in (first, last) if len(part) > 2)
    except Exception:  # the database may be what failed: report without this step
        return None
    ordered = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, ordered)) + r")\b") if ordered else None
    _names.update(pattern=pattern, read_at=time.monotonic())
    return pattern


def names_forget() -> None:
    """The next report reads the names afresh (a test, or after a big import)."""
    _names["read_at"] = 0.0


def _names_replaced(value, pattern):
    if isinstance(value, str):
        return pattern.sub(REDACTED, value)
    if isinstance(value, dict):
        return {key: _names_replaced(item, pattern) for key, item in value.items()}
    if isinstance(value, list):
        return [_names_replaced(item, pattern) for item in value]
    return value


def scrub_event(event, hint=None):
    """before_send: the whole event, scrubbed; the user is never sent."""
    event.pop("user", None)
    event = scrub(event)
    pattern = names_pattern()
    return _names_replaced(event, pattern) if pattern else event


def scrub_breadcrumb(crumb, hint=None):
    return scrub(crumb)


def sentry_init(*, dsn: str, environment: str = "", release: str = "") -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        event_scrubber=EventScrubber(
            denylist=DEFAULT_DENYLIST + sorted(PERSON_KEYS), recursive=True
        ),
        before_send=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        traces_sample_rate=0,
    )


STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message"}


class ScrubFilter(logging.Filter):
    """Log lines without e-mail addresses (messages, arguments, tracebacks and extra fields)."""

    def filter(self, record):
        for key, value in list(vars(record).items()):
            if key not in STANDARD_ATTRIBUTES and isinstance(value, str | dict | list | tuple):
                setattr(record, key, scrub_addresses(value))
        record.msg = scrub_text(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub_text(record.exc_text)
            record.exc_info = None
        return True
