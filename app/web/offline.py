"""Offline reading and writing: opaque per-person keys for the service worker's copies and the edit queue.

Neither key contains the person's id. The copy key also changes with every sign-in (it mixes in the session's
`sid`), so a copy made in an earlier session is never served in a later one; the queue key stays the same for a
person across sign-ins, so edits queued before an idle sign-out are still sent after signing in again.
"""

import hashlib
import hmac

from flask import Response, current_app, g, has_request_context, session


def _mac(*parts: str) -> str:
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else str(secret).encode()
    return hmac.new(secret, "\0".join(parts).encode(), hashlib.sha256).hexdigest()[:32]


def copy_key() -> str:
    """Name this person's offline copies on this device for this sign-in; empty when nobody is signed in."""
    if not has_request_context():
        return ""
    person, sid = g.get("person"), session.get("sid")
    if person is None or not sid:
        return ""
    return _mac("offline-copy", person.id, sid)


def queue_key() -> str:
    """Name this person's queue of offline edits on this device; empty when nobody is signed in."""
    person = g.get("person") if has_request_context() else None
    return _mac("offline-queue", person.id) if person is not None else ""


def allow_offline_copy(response: Response) -> Response:
    """Let the service worker keep this page for the signed-in person, for as long as their session could last."""
    key = copy_key()
    if key and response.status_code == 200:
        idle = session.get("idle_limit") or current_app.config.get("FAMILY_IDLE_SECONDS", 14400)
        response.headers["X-Offline-Copy"] = key
        response.headers["X-Offline-Copy-Max-Age"] = str(int(idle))
    return response
