"""What bench/lighthouse.py relies on: the plan page without its live stream, and a session sent as a header."""

import importlib.util
import json
import re
import sys

import pytest

from tests.conftest import make_app, sign_in
from tests.support.servers import ROOT


@pytest.fixture(scope="module")
def bench_lighthouse():
    """bench/lighthouse.py as a module (it imports bench/common.py as `common`)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        spec = importlib.util.spec_from_file_location("bench_lighthouse", ROOT / "bench" / "lighthouse.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(ROOT / "bench"))


@pytest.fixture
def sanne(tmp_path):
    """Sanne's signed-in test client and the demo plan's URL."""
    client = make_app(MAIL_DIR=str(tmp_path / "mail"), with_plan=True).test_client()
    sign_in(client, "sanne")
    plan = re.search(r'href="(/plan/\w+)[/"]', client.get("/").get_data(as_text=True)).group(1)
    return client, plan


def test_plan_page_with_live_0_does_not_open_the_live_stream(sanne):
    client, plan = sanne
    assert 'id="live" data-stream=' in client.get(plan).get_data(as_text=True)
    quiet = client.get(f"{plan}?live=0")
    assert quiet.status_code == 200
    html = quiet.get_data(as_text=True)
    assert 'id="live"' not in html  # app.js opens the stream only from this element
    assert "/live" not in html
    assert 'id="presence"' in html  # the rest of the page is the same


def test_session_cookie_as_an_extra_header_signs_lighthouse_in(sanne, bench_lighthouse, tmp_path):
    client, plan = sanne
    headers = bench_lighthouse.extra_headers(client.get_cookie(bench_lighthouse.SESSION_COOKIE).value)
    assert bench_lighthouse.extra_headers(None) == {}
    stranger = client.application.test_client(use_cookies=False)  # only the header says who this is
    response = stranger.get(f"{plan}?live=0", headers=headers)
    assert response.status_code == 200
    assert "Sanne" in response.get_data(as_text=True)
    assert stranger.get(f"{plan}?live=0").status_code == 303  # without it: to the sign-in page

    headers_file = tmp_path / "headers.json"
    headers_file.write_text(json.dumps(headers))
    command = bench_lighthouse.lighthouse_command("http://127.0.0.1:1/plan/x?live=0", headers_file)
    assert f"--extra-headers={headers_file}" in command
    assert "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" in command
    assert "--preset=desktop" not in command  # mobile is Lighthouse's default form factor
    assert "--form-factor=desktop" not in command
    assert "--extra-headers" not in " ".join(bench_lighthouse.lighthouse_command("http://127.0.0.1:1/", None))
