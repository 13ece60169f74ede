"""Random secrets and their stored form (SHA-256: the secrets are long and random, so a fast
hash is enough; no password hashing needed)."""

import hashlib
import secrets


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
