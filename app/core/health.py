"""Whether the services the app leans on answer (/healthz, which must answer quickly), and whether this process is
still taking new work (/readyz: not while it drains before a restart)."""

import functools
import threading

import redis

_draining = threading.Event()


def start_draining() -> None:
    """Say this process is stopping (gunicorn's SIGTERM, gunicorn.conf.py): /readyz answers 503 from now on and a
    live stream that opens here ends at once, so its page reconnects to an instance that stays."""
    _draining.set()


def is_draining() -> bool:
    return _draining.is_set()


def redis_answers(url: str) -> bool:
    """Return True when Redis answers a PING within half a second."""
    try:
        return bool(_health_client(url).ping())
    except redis.RedisError:
        return False


@functools.lru_cache(maxsize=8)
def _health_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5, max_connections=20)
