"""Live updates: after a change commits, tell every open plan page; Redis pub/sub across processes, else in-process.

Messages carry only ids and versions, never content: each page fetches the changed item through a normal,
permission-checked request. Each open stream passes on only the messages about what its reader may see
(app.plans.queries.for_reader), so a hidden item's id, kind and author never reach their browser either.
"""

import contextlib
import functools
import json
import queue
import threading
import time
from collections.abc import Iterator

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlmodel import Session

from app.core.health import is_draining, start_draining

PRESENCE_TTL = 45  # seconds a presence stays without a ping
PAUSED_RETRY_MS = 5000  # while Redis is away, an open page asks again this often whether live updates are back
QUIET_AFTER_FAILURE = 3.0  # seconds publishing skips a Redis that hung (open streams pause and catch up later)
_quiet_until: dict[str, float] = {}
_local_lock = threading.Lock()
_local_listeners: dict[str, set[queue.Queue]] = {}
_local_presence: dict[str, dict[str, float]] = {}
_local_streams: dict[str, dict[str, float]] = {}
STREAMS_PER_PERSON = 6  # open plan pages per person across tabs and devices; more is a flood, refused politely


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


class LiveUnavailable(Exception):  # noqa: N818 - a state, not a programming error
    """Redis cannot be reached: live updates pause; reading and saving the plan go on."""


@contextlib.contextmanager
def _redis_errors() -> Iterator[None]:
    """Turn any Redis failure into LiveUnavailable (callers need not know Redis)."""
    import redis

    try:
        yield
    except redis.RedisError as error:
        raise LiveUnavailable(str(error)) from error


@functools.lru_cache(maxsize=8)
def _redis(url: str):
    """One client (with its connection pool) per Redis URL and process, not a new connection per message."""
    import redis

    # Short timeouts: a Redis that hangs must not hold up a save (tests/production/test_redis_down.py). Open streams
    # share one subscription per process (_Hub), so the pool serves presence and publishing only.
    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1, health_check_interval=30,
                                max_connections=200)


_fan_out = None  # app.plans.nchan.fan_out, when nginx holds the open pages (installed by that module)


def fan_out_through(fan_out) -> None:
    """Publish through `fan_out(plan_id, message, redis_url=...)` when LIVE_NCHAN_URL is set (app.plans.nchan)."""
    global _fan_out
    _fan_out = fan_out


def publish(plan_id: str, message: dict, *, redis_url: str | None) -> None:
    """Send one message to every listener of the plan, in every process."""
    body = json.dumps(message)
    if redis_url:
        if time.monotonic() < _quiet_until.get(redis_url, 0.0):
            return  # Redis hung a moment ago: do not make this save wait for it again
        started = time.monotonic()
        try:
            if _fan_out is not None and has_app_context() and current_app.config.get("LIVE_NCHAN_URL"):
                _fan_out(plan_id, message, redis_url=redis_url)  # nginx holds the pages: each gets its reader's
                return
            _redis(redis_url).publish(f"plan:{plan_id}", body)
            return
        except Exception:  # noqa: BLE001 - Redis gone: live updates degrade, saving does not
            if time.monotonic() - started > 0.25:  # it hung (a refused connection costs nothing: try each time)
                _quiet_until[redis_url] = time.monotonic() + QUIET_AFTER_FAILURE
            current_app.logger.warning("live update not published: redis unavailable")
            return
    with _local_lock:
        listeners = list(_local_listeners.get(plan_id, ()))
    for listener in listeners:
        listener.put(body)


def listen(plan_id: str, *, redis_url: str | None, heartbeat: float = 15.0) -> Iterator[str | None]:
    """Subscribe now (before anything else is published) and return an iterator of message bodies,
    with None every `heartbeat` seconds for a ping; LiveUnavailable when Redis cannot be reached."""
    inbox: queue.Queue = queue.Queue()
    if is_draining():
        inbox.put(_DRAIN)  # this instance stops: the stream ends at once and the page reconnects elsewhere
    if redis_url:
        hub = _hub(redis_url)
        hub.add(plan_id, inbox)  # raises LiveUnavailable when Redis is away
        return _inbox_messages(inbox, heartbeat, lambda: hub.discard(plan_id, inbox))
    with _local_lock:
        _local_listeners.setdefault(plan_id, set()).add(inbox)
    return _inbox_messages(inbox, heartbeat, lambda: _discard_local(plan_id, inbox))


def _discard_local(plan_id: str, inbox: queue.Queue) -> None:
    with _local_lock:
        _local_listeners.get(plan_id, set()).discard(inbox)


_GONE = object()  # put into every inbox when the process's Redis subscription breaks
_DRAIN = object()  # put into every inbox when the process is asked to stop: its streams end now
DRAINED_RETRY_MS = 250  # the reconnect hint a drained stream ends with


def drain() -> None:
    """End every open stream of this process at once (gunicorn's SIGTERM, gunicorn.conf.py): the pages reconnect,
    through the load balancer, to an instance that stays. Without this a restart waits for the graceful timeout.
    A stream that opens after this ends at once too (`listen`, core.health.is_draining)."""
    start_draining()
    with _local_lock:
        inboxes = [inbox for listeners in _local_listeners.values() for inbox in listeners]
    with _hubs_lock:
        hubs = list(_hubs.values())
    for hub in hubs:
        inboxes += hub.inboxes()
    for inbox in inboxes:
        inbox.put(_DRAIN)


def _inbox_messages(inbox: queue.Queue, heartbeat: float, forget) -> Iterator[str | None]:
    try:
        while True:
            try:
                body = inbox.get(timeout=heartbeat)
            except queue.Empty:
                yield None
                continue
            if body is _GONE:
                raise LiveUnavailable("the Redis subscription broke")
            if body is _DRAIN:
                return
            yield body
    finally:
        forget()


class _Hub:
    """One Redis subscription per process (pattern plan:*) that hands each message to the open streams of its plan
    in this process: 200 open plan pages cost one Redis connection and one thread, not 200 of each."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.Lock()
        self._inboxes: dict[str, set[queue.Queue]] = {}
        self._pubsub = None
        self._thread: threading.Thread | None = None

    def add(self, plan_id: str, inbox: queue.Queue) -> None:
        with self._lock:
            if self._pubsub is None:
                self._connect()
            self._inboxes.setdefault(plan_id, set()).add(inbox)

    def inboxes(self) -> list[queue.Queue]:
        with self._lock:
            return [inbox for inboxes in self._inboxes.values() for inbox in inboxes]

    def discard(self, plan_id: str, inbox: queue.Queue) -> None:
        with self._lock:
            inboxes = self._inboxes.get(plan_id)
            if inboxes is not None:
                inboxes.discard(inbox)
                if not inboxes:
                    del self._inboxes[plan_id]

    def _connect(self) -> None:
        """Subscribe (under the lock); the reader thread runs until the subscription breaks."""
        pubsub = _redis(self.url).pubsub(ignore_subscribe_messages=True)
        try:
            with _redis_errors():
                pubsub.psubscribe("plan:*")
                pubsub.get_message(timeout=1)  # the subscription is confirmed before anyone counts on it
        except LiveUnavailable:
            with contextlib.suppress(Exception):
                pubsub.close()
            raise
        self._pubsub = pubsub
        self._thread = threading.Thread(target=self._read, args=(pubsub,), name="live-hub", daemon=True)
        self._thread.start()

    def _read(self, pubsub) -> None:
        try:
            while True:
                message = pubsub.get_message(timeout=5)
                if message and message.get("type") == "pmessage":
                    plan_id = message["channel"].decode().split(":", 1)[1]
                    with self._lock:
                        inboxes = list(self._inboxes.get(plan_id, ()))
                    body = message["data"].decode()
                    for inbox in inboxes:
                        inbox.put(body)
        except Exception:  # noqa: BLE001 - Redis went away: every open stream pauses, the next one reconnects
            with self._lock:
                if self._pubsub is pubsub:
                    self._pubsub = None
                everyone = [inbox for inboxes in self._inboxes.values() for inbox in inboxes]
                self._inboxes.clear()
            for inbox in everyone:
                inbox.put(_GONE)
            with contextlib.suppress(Exception):
                pubsub.close()


_hubs: dict[str, _Hub] = {}
_hubs_lock = threading.Lock()


def _hub(url: str) -> _Hub:
    with _hubs_lock:
        return _hubs.setdefault(url, _Hub(url))


def touch_presence(plan_id: str, person_id: str, *, redis_url: str | None, stream: str = "", hold: float = 0) -> bool:
    """Say this person has the plan open now (in one stream: a tab or a device); return True when that stream was
    missing (others should hear it). `hold`: seconds it stays without pings (a page nginx holds says when it
    closes)."""
    key = f"{person_id}:{stream}"
    if redis_url:
        client = _redis(redis_url)
        with _redis_errors():
            added = client.hset(f"presence:{plan_id}", key, time.time() + hold)
            client.expire(f"presence:{plan_id}", int(max(PRESENCE_TTL * 4, hold)))
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


def claim_stream(person_id: str, stream: str, *, redis_url: str | None, ttl: float, new: bool = False,
                 evicted: list[str] | None = None) -> bool:
    """Count an open stream of this person (`new`) or keep counting it; False when it may not (go on). `stream` is
    "<browser session>:<stream id>". A person has at most STREAMS_PER_PERSON: a new one from the same browser (a
    page opened again before the old one's connection was seen to close) takes the place of that browser's oldest,
    which ends at its next heartbeat (its name is added to `evicted`); one from yet another browser is refused. A
    stream not kept for `ttl` seconds (its process died) no longer counts."""
    now, browser = time.time(), stream.split(":", 1)[0] + ":"
    if redis_url:
        key = f"streams:{person_id}"
        client = _redis(redis_url)
        with _redis_errors():
            client.zremrangebyscore(key, "-inf", now - ttl)
            if client.zscore(key, stream) is None:
                if not new:
                    return False  # its place was taken
                open_now = [name.decode() for name in client.zrange(key, 0, -1)]  # oldest first
                if len(open_now) >= STREAMS_PER_PERSON:
                    same = [name for name in open_now if name.startswith(browser)]
                    if not same:
                        return False
                    client.zrem(key, same[0])
                    if evicted is not None:
                        evicted.append(same[0])
            client.zadd(key, {stream: now})
            client.expire(key, int(ttl) + 1)
        return True
    with _local_lock:
        mine = _local_streams.setdefault(person_id, {})
        for other, stamp in list(mine.items()):
            if now - stamp > ttl:
                del mine[other]
        if stream not in mine:
            if not new:
                return False
            if len(mine) >= STREAMS_PER_PERSON:
                same = sorted((stamp, name) for name, stamp in mine.items() if name.startswith(browser))
                if not same:
                    return False
                del mine[same[0][1]]
        mine[stream] = now
        return True


def release_stream(person_id: str, stream: str, *, redis_url: str | None) -> None:
    """The stream closed: it no longer counts."""
    try:
        if redis_url:
            _redis(redis_url).zrem(f"streams:{person_id}", stream)
            return
    except Exception:  # noqa: BLE001 - a closing stream must not raise; the entry expires by itself
        return
    with _local_lock:
        _local_streams.get(person_id, {}).pop(stream, None)


def sse(message: dict) -> str:
    """Format one message as a server-sent event (with an id when it can be caught up later). News of a goal's help
    is named after the goal (`help-<goal>`), so only that goal's help part on the page fetches itself again."""
    event_id = message.get("event_id")
    head = f"id: {event_id}\n" if event_id else ""
    name = f"help-{message['goal']}" if message.get("type") == "help" else message.get("type", "item")
    return f"{head}event: {name}\ndata: {json.dumps(message)}\n\n"


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
