"""Live updates held by nginx (its nchan module) instead of app threads, for production with many open plan pages.

The stream route still checks who may open the plan, then hands the page to nginx (`X-Accel-Redirect`) on a channel
of its own: a random name that never leaves the server. Publishing looks up the plan's open pages in Redis and posts
each of them the message as its reader may receive it (app.plans.queries.for_reader), so nginx only ever carries ids
a reader may know. When a page closes, nginx tells the app (`nchan_unsubscribe_request`); when someone loses access
(taken out of the family, signed out everywhere), their channels are deleted and nginx closes those streams: their
reconnect meets the app's permission check again. Redis holds the open pages (with presence and the stream limit),
so any instance can publish and any can be told a page closed.
"""

import functools
import json
import secrets
import threading
import time

import sqlalchemy as sa
import urllib3
from flask import current_app, has_app_context
from sqlmodel import Session

from app.core.errors import NotFound
from app.extensions import db
from app.identity.models import Membership, Person, RevokedSession, StaffMembership
from app.plans import live
from app.plans.context import plan_context
from app.plans.models import Plan
from app.plans.queries import Reader, for_reader

HOLD = 6 * 3600  # seconds an open page counts (presence, stream limit) when nginx never said it closed (a crash)
SEEN_TTL = 24 * 3600  # what a person could see, kept while their pages are open
_STALE_AFTER = 60  # seconds after which a page nginx holds no subscriber for is forgotten


def url() -> str | None:
    """The nchan publisher's base URL (`LIVE_NCHAN_URL`), or None when the app serves its own streams."""
    return current_app.config.get("LIVE_NCHAN_URL") or None


@functools.lru_cache(maxsize=4)
def _pool(base: str) -> urllib3.PoolManager:
    """Kept-alive connections to nginx's publisher (loopback): a message costs one short POST per open page."""
    return urllib3.PoolManager(maxsize=32, block=False, retries=False, timeout=urllib3.Timeout(connect=1, read=2))


def open_page(plan_id: str, reader: Reader, *, redis_url: str, stream: str, missed: list[dict]) -> str:
    """Record one open page of `reader` (after the permission check and the stream limit) and return its channel,
    which already holds what the page missed and then "ready" (nginx starts a new channel's subscriber at its
    oldest message). `stream` is the counted stream name (browser session and page), which the stream limit also
    knows."""
    channel = secrets.token_urlsafe(18)
    client = live._redis(redis_url)
    entry = json.dumps({"person": reader.person_id, "org": reader.organisation_id or "", "stream": stream,
                        "since": time.time()})
    seen_key = f"nchan:seen:{plan_id}:{reader.person_id}"
    with live._redis_errors():
        pipe = client.pipeline()
        pipe.hset(f"nchan:pages:{plan_id}", channel, entry)
        pipe.expire(f"nchan:pages:{plan_id}", HOLD)
        pipe.set(f"nchan:channel:{channel}", plan_id, ex=HOLD)
        pipe.sadd(f"nchan:of:{reader.person_id}", f"{plan_id} {channel}")
        pipe.expire(f"nchan:of:{reader.person_id}", HOLD)
        pipe.set(f"nchan:stream:{stream}", channel, ex=HOLD)
        pipe.sadd(f"nchan:of-session:{stream.split(':', 1)[0]}", channel)
        pipe.expire(f"nchan:of-session:{stream.split(':', 1)[0]}", HOLD)
        pipe.delete(seen_key)
        if reader.seen:
            pipe.sadd(seen_key, *reader.seen)
        pipe.expire(seen_key, SEEN_TTL)
        pipe.execute()
    live.touch_presence(plan_id, reader.person_id, redis_url=redis_url, stream=channel, hold=HOLD)
    live.publish(plan_id, {"type": "presence"}, redis_url=redis_url)
    for message in [*missed, {"type": "ready"}]:
        _post(channel, message)
    return channel


def subscribe_location(channel: str) -> str:
    """Where nginx takes the page (an internal location: the browser never sees the channel's name)."""
    return f"/_live/sub/{channel}"


def page_closed(channel: str, *, redis_url: str) -> None:
    """nginx says a page's stream closed: it no longer counts, and the others hear the person left (when it was their
    last page)."""
    client = live._redis(redis_url)
    with live._redis_errors():
        plan_id = client.get(f"nchan:channel:{channel}")
        if plan_id is None:
            return
        plan_id = plan_id.decode()
        raw = client.hget(f"nchan:pages:{plan_id}", channel)
        _forget(client, plan_id, channel, json.loads(raw) if raw else None)
    live.publish(plan_id, {"type": "presence"}, redis_url=redis_url)


def _forget(client, plan_id: str, channel: str, entry: dict | None) -> None:
    pipe = client.pipeline()
    pipe.hdel(f"nchan:pages:{plan_id}", channel)
    pipe.delete(f"nchan:channel:{channel}")
    if entry:
        pipe.srem(f"nchan:of:{entry['person']}", f"{plan_id} {channel}")
        pipe.hdel(f"presence:{plan_id}", f"{entry['person']}:{channel}")
        pipe.zrem(f"streams:{entry['person']}", entry.get("stream", ""))
        pipe.srem(f"nchan:of-session:{entry.get('stream', '').split(':', 1)[0]}", channel)
        pipe.delete(f"nchan:stream:{entry.get('stream', '')}")
    pipe.execute()


def fan_out(plan_id: str, message: dict, *, redis_url: str) -> None:
    """Post the message to each open page of the plan as its reader may receive it (nothing to a page whose reader
    may not know of it); an item taken away from a reader who could see it reaches them as "gone"."""
    client = live._redis(redis_url)
    pages = {channel.decode(): json.loads(raw) for channel, raw in client.hgetall(f"nchan:pages:{plan_id}").items()}
    if not pages:
        return
    people = {entry["person"]: entry["org"] or None for entry in pages.values()}
    item_id = message.get("item") if message.get("type") == "item" else None
    seen = {}
    if item_id:
        pipe = client.pipeline()
        for person_id in people:
            pipe.sismember(f"nchan:seen:{plan_id}:{person_id}", item_id)
        seen = dict(zip(people, pipe.execute(), strict=True))
    told: dict[str, dict | None] = {}
    changes = client.pipeline()
    for person_id, organisation_id in people.items():
        reader = Reader(person_id, organisation_id, {item_id} if seen.get(person_id) else set())
        told[person_id] = for_reader(reader, message)
        if item_id and item_id in reader.seen and not seen.get(person_id):
            changes.sadd(f"nchan:seen:{plan_id}:{person_id}", item_id)
        elif item_id and seen.get(person_id) and item_id not in reader.seen:
            changes.srem(f"nchan:seen:{plan_id}:{person_id}", item_id)
    changes.execute()
    alike: dict[str, list[str]] = {}  # one post per distinct message, to all the pages that receive it
    for channel, entry in pages.items():
        if (public := told[entry["person"]]) is not None:
            alike.setdefault(json.dumps(public, sort_keys=True), []).append(channel)
    now = time.time()
    for body, channels in alike.items():
        if _post(",".join(channels), json.loads(body)) == 0 and len(channels) == 1:
            entry = pages[channels[0]]
            if now - entry.get("since", now) > _STALE_AFTER:
                _forget(client, plan_id, channels[0], entry)  # nginx holds nobody there (it restarted, or crashed)


def _post(channel: str, message: dict) -> int | None:
    """Publish one message on one page's channel (or several, joined by commas); the number of subscribers nginx
    holds there (None: unknown)."""
    base = url()
    name = f"help-{message['goal']}" if message.get("type") == "help" else message.get("type", "item")
    try:
        answer = _pool(base).request("POST", f"{base}{channel}", body=json.dumps(message).encode(),
                                     headers={"X-EventSource-Event": name, "Accept": "text/json",
                                              "Content-Type": "application/json"})
    except urllib3.exceptions.HTTPError:
        current_app.logger.warning("live update not published: nginx's publisher unavailable")
        return None
    try:
        return int(json.loads(answer.data).get("subscribers", -1))
    except (ValueError, AttributeError):
        return None


live.fan_out_through(fan_out)


def close_pages(person_id: str | None, *, redis_url: str | None, plan_id: str | None = None,
                sid: str | None = None) -> None:
    """Someone lost access (taken out of a family or organisation, signed out everywhere: `person_id`; one session
    signed out: `sid`): nginx closes those open pages at once, and a page that reconnects meets the permission check.
    Without nchan the streams check this themselves (within a minute)."""
    if not redis_url or not url():
        return
    client = live._redis(redis_url)
    try:
        if sid is not None:
            channels = [raw.decode() for raw in client.smembers(f"nchan:of-session:{sid}")]
        else:
            channels = [channel for plan, channel in (raw.decode().split(" ", 1)
                                                      for raw in client.smembers(f"nchan:of:{person_id}"))
                        if plan_id is None or plan == plan_id]
    except Exception:  # noqa: BLE001 - Redis away: the pages' own reconnects are checked when it is back
        return
    for channel in channels:
        _delete(channel)


def close_streams(streams: list[str], *, redis_url: str) -> None:
    """Close the pages of these counted streams (the stream limit gave their place to a newer page)."""
    for stream in streams:
        channel = live._redis(redis_url).get(f"nchan:stream:{stream}")
        if channel is not None:
            _delete(channel.decode())


def _delete(channel: str) -> None:
    """nginx closes the page's stream (and tells the app, which then forgets the page)."""
    try:
        _pool(url()).request("DELETE", f"{url()}{channel}")
    except urllib3.exceptions.HTTPError:
        current_app.logger.warning("live page not closed: nginx's publisher unavailable")


_sweeper_lock = threading.Lock()
_sweeper: threading.Thread | None = None


def keep_sweeping(app) -> None:
    """Start this process's sweeper once (a daemon thread): every LIVE_ACCESS_RECHECK_SECONDS one instance closes
    the pages of people who lost access in a way the app did not see happen (a change made in the database)."""
    global _sweeper
    with _sweeper_lock:
        if _sweeper is None or not _sweeper.is_alive():
            _sweeper = threading.Thread(target=_sweep_forever, args=(app,), daemon=True, name="live-sweep")
            _sweeper.start()


def _sweep_forever(app) -> None:

    every = float(app.config.get("LIVE_ACCESS_RECHECK_SECONDS", 40))
    while True:
        time.sleep(every)
        try:
            with app.app_context(), db.new_session() as session:
                sweep(session, redis_url=app.config["REDIS_URL"], every=every)
        except Exception:  # noqa: BLE001 - Redis or the database away: try again next round
            app.logger.warning("live pages not swept: redis or the database unavailable")


def sweep(session, *, redis_url: str, every: float = 40) -> int:
    """Close the open pages of people who may no longer open their plan: family members by one query for all open
    plans, the few provider staff each by the plan's own check. One instance sweeps per round (a Redis lock).
    Return how many pages were closed."""

    client = live._redis(redis_url)
    if not client.set("nchan:sweep", "1", nx=True, px=max(int(every * 1000) - 500, 100)):
        return 0
    pages = []
    for key in client.scan_iter("nchan:pages:*", count=1000):
        plan_id = key.decode().split(":", 2)[2]
        pages += [(plan_id, channel.decode(), json.loads(raw)) for channel, raw in client.hgetall(key).items()]
    plans = sorted({plan_id for plan_id, _channel, _entry in pages})
    members = set()
    for start in range(0, len(plans), 500):
        members |= set(session.exec(sa.select(Plan.id, Membership.person_id)
                                    .join(Membership, Membership.family_id == Plan.family_id)
                                    .where(Plan.id.in_(plans[start:start + 500]))).all())
    staff: dict[tuple[str, str], bool] = {}
    closed = 0
    for plan_id, channel, entry in pages:
        pair = (plan_id, entry["person"])
        if entry["org"] and pair not in staff:
            try:
                plan_context(session, person=session.get(Person, entry["person"]), plan_id=plan_id)
                staff[pair] = True
            except NotFound:
                staff[pair] = False
        if not (staff[pair] if entry["org"] else pair in members):
            _delete(channel)
            _forget(client, plan_id, channel, entry)
            closed += 1
    return closed


@sa.event.listens_for(Session, "after_flush")
def _access_changes(session: Session, _context) -> None:
    """Note whose access ends in this transaction; their open pages are closed once it commits."""
    if not has_app_context() or not url():
        return
    people = {obj.person_id for obj in session.deleted if isinstance(obj, Membership | StaffMembership)}
    people |= {obj.id for obj in session.dirty
               if isinstance(obj, Person) and sa.inspect(obj).attrs.session_version.history.has_changes()}
    sids = {obj.sid for obj in session.new if isinstance(obj, RevokedSession)}
    if not people and not sids:
        return
    ending = session.info.setdefault("live_access_ends", (set(), set()))
    if not ending[0] and not ending[1]:
        redis_url = current_app.config.get("REDIS_URL")

        def _close(_session) -> None:
            gone_people, gone_sids = session.info.pop("live_access_ends", (set(), set()))
            for person_id in gone_people:
                close_pages(person_id, redis_url=redis_url)
            for sid in gone_sids:
                close_pages(None, redis_url=redis_url, sid=sid)

        sa.event.listen(session, "after_commit", _close, once=True)
        sa.event.listen(session, "after_rollback", lambda _s: session.info.pop("live_access_ends", None), once=True)
    ending[0].update(people)
    ending[1].update(sids)
