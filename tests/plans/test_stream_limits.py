"""How many live streams one person may hold (issue 23, point 1), in this process and across processes through
Redis: six; a seventh from the same browser takes its oldest's place (which ends at its next heartbeat), one from
another browser is refused; a stream whose process died stops counting after its time."""

import time

import pytest

from app.plans import live


@pytest.fixture(params=["local", "redis"])
def redis_url(request):
    if request.param == "local":
        live._local_streams.clear()
        return None
    return request.getfixturevalue("redis_server").fresh_url()


def test_six_per_person_the_same_browser_replaces_its_oldest_another_is_refused(redis_url):
    claim = lambda name, new=True: live.claim_stream("p1", name, redis_url=redis_url, ttl=30, new=new)  # noqa: E731
    for n in range(6):
        assert claim(f"phone:{n}")
        time.sleep(0.01)  # (their order)
    assert claim("laptop:0") is False  # another browser: refused
    assert claim("phone:6")  # the same browser: its oldest makes way
    assert claim("phone:0", new=False) is False  # ... and ends at its next heartbeat
    assert claim("phone:1", new=False)  # the others go on
    assert live.claim_stream("p2", "laptop:0", redis_url=redis_url, ttl=30, new=True)  # per person
    live.release_stream("p1", "phone:6", redis_url=redis_url)
    assert claim("laptop:0")  # a place came free


def test_a_stream_whose_process_died_stops_counting(redis_url):
    for n in range(6):
        assert live.claim_stream("p3", f"tab:{n}", redis_url=redis_url, ttl=1, new=True)
    assert live.claim_stream("p3", "other:0", redis_url=redis_url, ttl=1, new=True) is False
    time.sleep(1.2)
    assert live.claim_stream("p3", "other:0", redis_url=redis_url, ttl=1, new=True)
