"""Rate limits are shared across app processes through a real Redis."""

import re
from collections.abc import Iterator
from contextlib import contextmanager

import requests

from tests.api.conftest import AUDIENCE, ISSUER, JwksServer, sign
from tests.support.servers import AppServer

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@contextmanager
def two_instances(redis_server, operator_seed, tmp_path, **settings: str) -> Iterator[tuple[AppServer, AppServer]]:
    """Two app instances on one copy of the demo world and one fresh Redis, stopped afterwards."""
    env = {"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "limit-test-secret",
           "REDIS_URL": redis_server.fresh_url(), "SESSION_COOKIE_SECURE": "0",
           **operator_seed.copy_to(tmp_path / "world"), **settings}
    first, second = AppServer(env), AppServer(env)
    try:
        first.start()
        second.start()
        yield first, second
    finally:
        first.stop()
        second.stop()


def test_demo_sign_in_limit_is_shared_by_two_instances_through_redis(redis_server, operator_seed, tmp_path):
    with two_instances(redis_server, operator_seed, tmp_path) as (first, second):
        statuses = []
        for i in range(32):
            server = first if i % 2 == 0 else second
            with requests.Session() as browser:
                page = browser.get(f"{server.url}/demo", timeout=10)
                token = TOKEN.search(page.text).group(1)
                response = browser.post(f"{server.url}/demo/inloggen/tom", data={"csrf_token": token},
                                        allow_redirects=False, timeout=10)
                statuses.append(response.status_code)
        assert statuses[:30] == [303] * 30
        assert statuses[30:] == [429, 429]
        assert "Wacht even" in response.text


def test_api_and_post_limits_are_shared_by_two_instances_through_redis(redis_server, operator_seed, tmp_path):
    """A client's API calls and a person's posts count once across instances, whichever instance answers."""
    jwks = JwksServer()
    try:
        with two_instances(redis_server, operator_seed, tmp_path, API_JWKS_URL=jwks.url, API_ISSUER=ISSUER,
                           API_AUDIENCE=AUDIENCE, RATELIMIT_API="4 per minute",
                           RATELIMIT_RATING_REPORT="2 per minute") as (first, second):
            _api_and_posts_count_once(jwks, first, second)
    finally:
        jwks.stop()


def _api_and_posts_count_once(jwks, first: AppServer, second: AppServer) -> None:
    """Six API calls and three reports, spread over both instances: the limits count them once."""
    servers = [first, second, first, second, first, second]
    backoffice = {"Authorization": f"Bearer {sign(jwks.keys[0], client_id='gemeente-backoffice')}"}
    calls = [requests.get(f"{s.url}/api/v1/plans/no-such-plan/status", headers=backoffice, timeout=10)
             for s in servers]
    assert [c.status_code for c in calls] == [404, 404, 404, 404, 429, 429]
    assert calls[-1].headers["Content-Type"] == "application/problem+json"
    assert 1 <= int(calls[-1].headers["Retry-After"]) <= 60
    provider = {"Authorization": f"Bearer {sign(jwks.keys[0], client_id='zorgaanbieder-kompas')}"}
    assert requests.get(f"{second.url}/api/v1/plans/no-such-plan/status", headers=provider,
                        timeout=10).status_code == 404

    with requests.Session() as tom:  # one signed-in person, answered by either instance (same secret)
        token = TOKEN.search(tom.get(f"{first.url}/demo", timeout=10).text).group(1)
        assert tom.post(f"{first.url}/demo/inloggen/tom", data={"csrf_token": token}, allow_redirects=False,
                        timeout=10).status_code == 303
        token = TOKEN.search(tom.get(f"{first.url}/", timeout=10).text).group(1)
        reports = [tom.post(f"{s.url}/beoordelingen/999999/melden", data={"csrf_token": token},
                            allow_redirects=False, timeout=10) for s in servers[:3]]
    assert [r.status_code for r in reports] == [404, 404, 429]
    assert "Je hebt dit in korte tijd heel vaak verstuurd" in reports[-1].text
