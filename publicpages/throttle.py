"""A rate limit per IP address and per e-mail address for the public registration form.

Counters in the shared cache (Redis in production), one per key and window: enough against
scripts filling the form, with no third-party CAPTCHA.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def _limits() -> dict[str, int]:
    return {
        "ip": getattr(settings, "PUBLIC_REGISTRATIONS_PER_IP_HOUR", 10),
        "email": getattr(settings, "PUBLIC_REGISTRATIONS_PER_EMAIL_HOUR", 3),
    }


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"public:throttle:{kind}:{digest}"


def _hit(kind: str, value: str, limit: int) -> bool:
    """Counts one attempt; True while the attempts in the window stay within the limit."""
    key = _key(kind, value)
    if cache.add(key, 1, WINDOW_SECONDS):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        return True


def allow(*, ip: str | None, email: str) -> bool:
    """Whether one more registration from this address and for this e-mail may go through."""
    limits = _limits()
    ip_ok = _hit("ip", ip or "unknown", limits["ip"])
    email_ok = _hit("email", email, limits["email"])
    return ip_ok and email_ok
