"""Live updates: after a change commits, tell every open plan page; Redis pub/sub across processes, else in-process.

Messages carry only ids and versions, never content: each page fetches the changed item through a normal,
permission-checked request, so what a person may not see never reaches their browser.
"""

import functools
import json
import queue
import threading
import time
from collections.abc import Iterator

import sqlalchemy as sa
from flask import current_app
from sqlmodel import Session

PRESENCE_TTL = 45  # seconds a presence stays without a ping
_local_lock = threading.Lock()
_local_listeners: dict[str, set[queue.Queue]] = {}
_local_presence: dict[str, dict[str, float]] = {}


def publish_after_commit(session: Session, plan_id: str, message: dict) -> None:
    """Queue a message that is published only if (and when) the transaction commits."""
    pending = session.info.setdefault("live_messages", [])
    if not pending:
        redis_url = current_app.config.get("REDIS_URL")

        def _publish(_session) -> None:
            for channel_plan, body in session.info.pop("live_messages", []):
                publish(channel_plan, body, redis_url=redis_url)

        def _forget(_session) -> None:
            session.info.pop("live_messages", None)

        sa.event.listen(session, "after_commit", _publish, once=True)
        sa.event.listen(session, "after_rollback", _forget, once=True)
    pending.append((plan_id, message))


@functools.lru_cache(maxsize=8)
def _redis(url: str):
    """One client (with its connection pool) per Redis URL and process, not a new connection per message."""
    import redis

    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2, health_check_interval=30)


def publish(plan_id: str, message: dict, *, redis_url: str | None) -> None:
    """Send one message to every listener of the plan, in every process."""
    body = json.dumps(message)
    if redis_url:
        try:
            _redis(redis_url).publish(f"plan:{plan_id}", body)
            return
        except Exception:  # noqa: BLE001 - Redis gone: live updates degrade, saving does not
            current_app.logger.warning("live update not published: redis unavailable")
            return
    with _local_lock:
        listeners = list(_local_listeners.get(plan_id, ()))
    for listener in listeners:
        listener.put(body)


def listen(plan_id: str, *, redis_url: str | None, heartbeat: float = 15.0) -> Iterator[str | None]:
    """Subscribe now (before anything else is published) and return an iterator of message bodies,
    with None every `heartbeat` seconds for a ping."""
    if redis_url:
        pubsub = _redis(redis_url).pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(f"plan:{plan_id}")
        return _redis_messages(pubsub, heartbeat)
    inbox: queue.Queue = queue.Queue()
    with _local_lock:
        _local_listeners.setdefault(plan_id, set()).add(inbox)
    return _local_messages(plan_id, inbox, heartbeat)


def _local_messages(plan_id: str, inbox: queue.Queue, heartbeat: float) -> Iterator[str | None]:
    try:
        while True:
            try:
                yield inbox.get(timeout=heartbeat)
            except queue.Empty:
                yield None
    finally:
        with _local_lock:
            _local_listeners.get(plan_id, set()).discard(inbox)


def _redis_messages(pubsub, heartbeat: float) -> Iterator[str | None]:
    try:
        deadline = time.monotonic() + heartbeat
        while True:
            message = pubsub.get_message(timeout=max(0.0, deadline - time.monotonic()))
            if message:
                yield message["data"].decode()
            elif time.monotonic() >= deadline:
                deadline = time.monotonic() + heartbeat
                yield None
    finally:
        pubsub.close()


def touch_presence(plan_id: str, person_id: str, *, redis_url: str | None, stream: str = "") -> bool:
    """Say this person has the plan open now (in one stream: a tab or a device); return True when that stream was
    missing (others should hear it)."""
    key = f"{person_id}:{stream}"
    if redis_url:
        client = _redis(redis_url)
        added = client.hset(f"presence:{plan_id}", key, time.time())
        client.expire(f"presence:{plan_id}", PRESENCE_TTL * 4)
        return bool(added)
    with _local_lock:
        people = _local_presence.setdefault(plan_id, {})
        missing = key not in people
        people[key] = time.time()
        return missing


def leave_presence(plan_id: str, person_id: str, *, redis_url: str | None, stream: str = "") -> None:
    """Say this person closed the plan in one stream (they stay present in their other tabs and devices)."""
    key = f"{person_id}:{stream}"
    if redis_url:
        _redis(redis_url).hdel(f"presence:{plan_id}", key)
        return
    with _local_lock:
        _local_presence.get(plan_id, {}).pop(key, None)


def present(plan_id: str, *, redis_url: str | None) -> set[str]:
    """Return who has the plan open right now."""
    now = time.time()
    if redis_url:
        try:
            entries = _redis(redis_url).hgetall(f"presence:{plan_id}")
        except Exception:  # noqa: BLE001
            return set()
        return {key.decode().split(":")[0] for key, stamp in entries.items() if now - float(stamp) < PRESENCE_TTL}
    with _local_lock:
        return {key.split(":")[0] for key, stamp in _local_presence.get(plan_id, {}).items()
                if now - stamp < PRESENCE_TTL}


def sse(message: dict) -> str:
    """Format one message as a server-sent event (with an id when it can be caught up later)."""
    event_id = message.get("event_id")
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {message.get('type', 'item')}\ndata: {json.dumps(message)}\n\n"


def join(plan_id: str, person_id: str, *, redis_url: str | None, stream: str = "") -> None:
    """Mark the person present and tell the others."""
    touch_presence(plan_id, person_id, redis_url=redis_url, stream=stream)
    publish(plan_id, {"type": "presence"}, redis_url=redis_url)


def leave(plan_id: str, person_id: str, *, redis_url: str | None, stream: str = "") -> None:
    """Mark the person's stream gone and tell the others."""
    try:
        leave_presence(plan_id, person_id, redis_url=redis_url, stream=stream)
        publish(plan_id, {"type": "presence"}, redis_url=redis_url)
    except Exception:  # noqa: BLE001 - a closing stream must not raise
        pass
