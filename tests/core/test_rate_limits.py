"""Rate limits are shared across app processes through a real Redis."""

import re

import requests

from tests.support.servers import AppServer

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_demo_sign_in_limit_is_shared_by_two_instances_through_redis(redis_server, tmp_path):
    env = {"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "limit-test-secret",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'limits.db'}", "REDIS_URL": redis_server.fresh_url(),
           "SESSION_COOKIE_SECURE": "0"}
    first, second = AppServer(env), AppServer(env)
    first.flask("db", "upgrade")
    first.flask("demo", "seed")
    first.start()
    second.start()
    try:
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
    finally:
        first.stop()
        second.stop()
