"""Authenticator-app codes (TOTP, RFC 6238) computed from a secret, independently of allauth.

Every staff login a test creates has an authenticator with STAFF_TOTP_SECRET (tests/conftest.py);
tests and journeys type `totp_code(STAFF_TOTP_SECRET)` as a person types what the app shows.
"""

import base64
import hashlib
import hmac
import struct
import time

STAFF_TOTP_SECRET = "KRSXG5CTORQWMZRAKRXXI4BAKNSWG4TF"  # base32, 20 bytes
STEP = 30


def totp_code(secret: str = STAFF_TOTP_SECRET, *, steps_ahead: int = 0) -> str:
    """The six digits the app shows now (or `steps_ahead` periods later)."""
    counter = int(time.time()) // STEP + steps_ahead
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"
