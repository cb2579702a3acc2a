"""Hashed recipient identities (the ``IdentityObject`` of Open Badges 2.0 and 3.0)."""

import hashlib


def hash_identity(email: str, salt: str) -> str:
    """Open Badges hashed recipient identity: ``sha256$`` + hex(sha256(email + salt))."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"
