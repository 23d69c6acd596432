"""Flood limits on the posts that store what a person writes, counted per signed-in person (Redis when set up)."""

import math
import time
from collections.abc import Callable

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address

from app.extensions import limiter

FLOOD_DETAIL = _l("You sent this many times in a short time, so it was not saved this time. Please try again later.")


def person_key() -> str:
    """Whose posts a limit counts: the signed-in person, else the caller's address."""
    person = g.get("person")
    return f"person:{person.id}" if person is not None else f"address:{get_remote_address()}"


def per_person(name: str) -> Callable:
    """Limit a view's posts per person to the configured RATELIMIT_<NAME> (e.g. "10 per minute;50 per day").

    Put it under @login_required, so the person is known and a visitor who is not signed in is not counted."""
    return limiter.limit(lambda: current_app.config[f"RATELIMIT_{name}"], key_func=person_key, methods=["POST"],
                         error_message=lambda: str(FLOOD_DETAIL))


def opening_streams() -> Callable:
    """Limit how often one person opens live streams (RATELIMIT_LIVE): a flood is refused with 429 before it can take
    the server's threads."""
    return limiter.limit(lambda: current_app.config["RATELIMIT_LIVE"], key_func=person_key, methods=["GET"],
                         error_message=lambda: str(FLOOD_DETAIL))


def retry_after() -> int:
    """Seconds until the limit this request broke lets the next one through (at least 1)."""
    try:
        breached = limiter.current_limit
        return max(1, math.ceil(breached.reset_at - time.time())) if breached is not None else 60
    except Exception:  # noqa: BLE001 - the counter's storage went away in between: a minute is a fair guess
        return 60
