"""Opaque random ids: nothing about a family can be read or guessed from a URL."""

import secrets

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case


def new_id() -> str:
    """Return a 20-character random id (100 bits)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(20))
