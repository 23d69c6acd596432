"""Compression: pages, fragments, CSS and JS go out as brotli or gzip; the live plan's event stream never does."""

import gzip
import re

import brotli
import pytest

from app.web.pwa import path_bytes
from tests.conftest import make_app, sign_in

BOTH = {"Accept-Encoding": "gzip, br"}
GZIP = {"Accept-Encoding": "gzip"}


def decoded(response) -> bytes:
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    return brotli.decompress(body) if encoding == "br" else gzip.decompress(body) if encoding == "gzip" else body


@pytest.fixture
def plan_client(tmp_path):
    """Sanne, signed in, and the demo plan's URL."""
    client = make_app(MAIL_DIR=str(tmp_path / "mail"), with_plan=True).test_client()
    sign_in(client, "sanne")
    plan = re.search(r'href="(/plan/\w+)[/"]', client.get("/").get_data(as_text=True)).group(1)
    return client, plan


def test_pages_are_brotli_or_gzip_compressed_and_vary_by_encoding(client):
    plain = client.get("/demo")
    assert "Content-Encoding" not in plain.headers
    for headers, encoding in ((BOTH, "br"), (GZIP, "gzip")):
        response = client.get("/demo", headers=headers)
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert int(response.headers["Content-Length"]) == len(response.get_data()) < len(plain.get_data()) / 2
        assert decoded(response).decode().lstrip().startswith("<!doctype html>")


@pytest.mark.parametrize("path", ["css/app.css", "js/app.js", "js/offline.js", "vendor/htmx-2.0.11.min.js",
                                  "vendor/htmx-ext-sse-2.2.4.min.js"])
def test_static_css_and_js_are_compressed_and_keep_their_year_long_cache(client, path):
    original = path_bytes(path)
    for headers, encoding in ((BOTH, "br"), (GZIP, "gzip")):
        response = client.get(f"/static/{path}?v=1", headers=headers)
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert "Accept-Ranges" not in response.headers
        assert decoded(response) == original
        assert len(response.get_data()) < len(original) / 2
        # Revalidation still answers 304 with the (weak) ETag of the compressed copy.
        again = client.get(f"/static/{path}?v=1", headers={**headers, "If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304
    assert client.get(f"/static/{path}").get_data() == original  # without Accept-Encoding: as it is


def test_htmx_fragment_is_compressed(plan_client):
    client, plan = plan_client
    item = re.search(rf'href="{plan}/onderdelen/(\w+)/bewerken"', client.get(plan).get_data(as_text=True)).group(1)
    response = client.get(f"{plan}/onderdelen/{item}", headers={**BOTH, "HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert b"<html" not in decoded(response)


def test_live_event_stream_is_never_compressed_or_buffered(plan_client):
    client, plan = plan_client
    response = client.get(f"{plan}/live", headers=BOTH, buffered=False)
    try:
        assert response.mimetype == "text/event-stream"
        assert "Content-Encoding" not in response.headers
        assert "Accept-Encoding" not in response.headers.get("Vary", "")
        assert response.is_streamed
        assert next(response.response) == b"retry: 3000\n\n"  # the first event arrives as written, not compressed
    finally:
        response.close()


def test_small_responses_and_downloads_stay_as_they_are(client):
    assert "Content-Encoding" not in client.get("/healthz", headers=BOTH).headers
    icon = client.get("/static/icons/icon-192.png", headers=BOTH)  # PNG is compressed already
    assert "Content-Encoding" not in icon.headers
