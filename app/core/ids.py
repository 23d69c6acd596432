"""Opaque random ids: nothing about a family can be read or guessed from a URL."""

import re
import secrets

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case


def new_id() -> str:
    """Return a 20-character random id (100 bits)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(20))


_ID_SHAPE = re.compile(r"[0-9A-Za-z_-]{1,64}")


def looks_like_id(value: object) -> bool:
    """Whether a value from a request could be an id at all (anything else is not looked up)."""
    return isinstance(value, str) and _ID_SHAPE.fullmatch(value) is not None
