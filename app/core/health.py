"""Whether the services the app leans on answer: for /healthz, which must answer quickly."""

import functools

import redis


def redis_answers(url: str) -> bool:
    """Return True when Redis answers a PING within half a second."""
    try:
        return bool(_health_client(url).ping())
    except redis.RedisError:
        return False


@functools.lru_cache(maxsize=8)
def _health_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5, max_connections=20)
