"""The small files every site is expected to have: favicon, apple-touch-icon, robots.txt and security.txt."""

import re
import struct
import zlib
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import sign_in

# The pages anyone may open without signing in; every other page is behind sign-in and must be off limits to robots.
PUBLIC = {"home.index", "web.help_lines", "catalog.index", "catalog.provider", "catalog.show", "catalog.compare",
          "complaints.index", "ratings.about", "web.favicon", "web.apple_touch_icon"}


def allowed(robots: str, path: str) -> bool:
    """Read robots.txt as RFC 9309 says: the longest matching rule wins, Allow on a tie; `*` and `$` are special."""
    best = (-1, "allow")
    for line in robots.splitlines():
        kind, _, pattern = line.partition(":")
        kind, pattern = kind.strip().lower(), pattern.strip()
        if kind not in ("allow", "disallow") or not pattern:
            continue
        regex = re.escape(pattern.rstrip("$")).replace(r"\*", ".*") + ("$" if pattern.endswith("$") else "")
        if re.match(regex, path) and (len(pattern), kind == "allow") > (best[0], best[1] == "allow"):
            best = (len(pattern), kind)
    return best[1] == "allow"


def _example_path(rule) -> str:
    return re.sub(r"<(?:int:)?[^>]+>", "1", rule.rule)


def test_robots_txt_keeps_robots_out_of_everything_behind_sign_in(app):
    response = app.test_client().get("/robots.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    robots = response.get_data(as_text=True)
    assert "User-agent: *" in robots
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]
    assert {r.endpoint for r in rules} >= PUBLIC
    for rule in rules:
        path = _example_path(rule)
        assert allowed(robots, path) == (rule.endpoint in PUBLIC), path
    for public in ("/", "/?lang=fy", "/hulp", "/catalogus?q=gezin", "/klachten?lang=en", "/static/css/app.css"):
        assert allowed(robots, public), public
    for private in ("/klachten/nieuw", "/catalogus/doel/abc/bevestigen", "/plan/abc", "/gezinnen", "/meldingen/1"):
        assert not allowed(robots, private), private


def test_the_pages_robots_may_read_really_are_public_and_the_others_ask_to_sign_in(app):
    client = app.test_client()
    for path in ("/", "/hulp", "/catalogus", "/catalogus/vergelijken", "/klachten", "/beoordelingen/uitleg"):
        assert client.get(path).status_code == 200, path
    for path in ("/gezinnen", "/meldingen", "/overzicht", "/profiel", "/klachten/nieuw"):
        assert client.get(path).status_code == 303, path


def test_security_txt_says_whom_to_tell_until_when_in_which_languages(app):
    app.config["SITE_URL"] = None
    response = app.test_client().get("/.well-known/security.txt", base_url="https://onsplan.example.nl")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    fields = dict(line.split(": ", 1) for line in response.get_data(as_text=True).splitlines())
    assert fields["Contact"] == "mailto:security@onsplan.invalid"  # the demo's default
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert datetime.now(UTC) + timedelta(days=30) < expires < datetime.now(UTC) + timedelta(days=365)
    assert fields["Preferred-Languages"] == "nl, fy, en"
    assert fields["Canonical"] == "https://onsplan.example.nl/.well-known/security.txt"


def test_security_txt_takes_its_contacts_and_address_from_the_settings(app):
    app.config.update(SECURITY_CONTACT="cvd@gemeente.example, https://gemeente.example/cvd",
                      SITE_URL="https://onsplan.gemeente.example")
    text = app.test_client().get("/.well-known/security.txt").get_data(as_text=True)
    assert "Contact: mailto:cvd@gemeente.example\nContact: https://gemeente.example/cvd\n" in text
    assert "Canonical: https://onsplan.gemeente.example/.well-known/security.txt" in text
    app.config["SECURITY_CONTACT"] = ""
    assert app.test_client().get("/.well-known/security.txt").status_code == 404


def _png(data: bytes) -> tuple[int, int, int, bytes]:
    """Width, height, colour type and the decompressed pixel rows of a PNG."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height, _depth, colour = struct.unpack(">IIBB", data[16:26])
    chunks, at = b"", 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"IDAT":
            chunks += data[at + 8:at + 8 + length]
        at += 12 + length
    return width, height, colour, zlib.decompress(chunks)


@pytest.mark.parametrize("path", ["/apple-touch-icon.png", "/apple-touch-icon-precomposed.png"])
def test_the_apple_touch_icon_is_an_opaque_180_square(app, path):
    response = app.test_client().get(path)
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    width, height, colour, _rows = _png(response.data)
    assert (width, height) == (180, 180)
    assert colour == 2  # RGB, no alpha channel: nothing transparent to turn black on a home screen


def test_every_page_links_the_opaque_touch_icon_and_the_favicon(app):
    client = app.test_client()
    sign_in(client, "sanne")
    for path in ("/", "/hulp", "/meldingen"):
        html = client.get(path).get_data(as_text=True)
        [href] = re.findall(r'<link rel="apple-touch-icon" href="([^"]+)"', html)
        width, height, colour, _rows = _png(client.get(href).data)
        assert (width, height, colour) == (180, 180, 2), path
        assert re.search(r'<link rel="icon" href="/favicon.ico"', html), path


def test_favicon_ico_is_an_icon_file(app):
    response = app.test_client().get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    reserved, kind, count = struct.unpack("<HHH", response.data[:6])
    assert (reserved, kind) == (0, 1)
    assert count >= 1
    sizes = {struct.unpack("<B", response.data[6 + 16 * i:7 + 16 * i])[0] for i in range(count)}
    assert 32 in sizes
