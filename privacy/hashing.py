"""Keyed hashes of e-mail addresses for suppressions that outlive an erasure.

HMAC-SHA256 with PRIVACY_HASH_KEY (default: derived from SECRET_KEY): a plain SHA-256 of an
address could be reversed by hashing guessed addresses; the key makes that impossible
without the server's secret, yet the same address always gives the same digest.
"""

import hashlib
import hmac

from django.conf import settings


def email_digest(email: str) -> str:
    key = getattr(settings, "PRIVACY_HASH_KEY", "") or ("privacy:" + settings.SECRET_KEY)
    return hmac.new(key.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()
