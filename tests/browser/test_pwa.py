"""The app is installable, works offline with a localized offline page, and never caches family pages."""

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, expect

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, PHONE

OFFLINE_PAGES = {"/offline?lang=nl", "/offline?lang=fy", "/offline?lang=en"}
LANGUAGE_KEY = "/__onsplan-language"

CACHE_CONTENTS = """async () => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      found.push({cache: name, url: request.url, type: response.headers.get('content-type') || ''});
    }
  }
  return found;
}"""

STORED_LANGUAGE = """async (key) => {
  for (const name of await caches.keys()) {
    const hit = await (await caches.open(name)).match(key);
    if (hit) { return await hit.text(); }
  }
  return null;
}"""


@pytest.fixture
def installed(playwright: Playwright, tmp_path: Path, base_url: str) -> Iterator[BrowserContext]:
    """A persistent profile: Chromium only reports installability and keeps service workers there."""
    context = playwright.chromium.launch_persistent_context(
        user_data_dir=tmp_path / "profile", executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
        base_url=base_url, **PHONE)
    yield context
    context.close()


def controlled_page(context: BrowserContext, path: str) -> Page:
    """Open a page and wait until the service worker is active and controls it."""
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(path)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    return page


def wait_for_stored_language(page: Page, language: str) -> None:
    """app.js tells the worker the page language on load; wait until the worker has stored it."""
    page.wait_for_function(
        f"""async () => {{ const stored = await ({STORED_LANGUAGE})({json.dumps(LANGUAGE_KEY)});
                           return stored === {json.dumps(language)}; }}""",
        polling=100, timeout=10_000)


def test_chromium_finds_the_app_installable(installed: BrowserContext, base_url: str):
    page = installed.pages[0] if installed.pages else installed.new_page()
    page.goto("/")
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    cdp = installed.new_cdp_session(page)

    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == f"{base_url}/manifest.webmanifest"
    assert manifest["errors"] == [], manifest["errors"]
    parsed = json.loads(manifest["data"])
    assert parsed["lang"] == "nl"
    assert parsed["display"] == "standalone"

    assert cdp.send("Page.getInstallabilityErrors") == {"installabilityErrors": []}


@pytest.mark.parametrize(("path", "language", "heading"), [
    ("/", "nl", "Je bent offline"),
    ("/hulp?lang=fy", "fy", "Do bist offline"),
    ("/?lang=en", "en", "You are offline"),
])
def test_offline_page_in_the_language_last_seen(installed: BrowserContext, path: str, language: str, heading: str):
    page = controlled_page(installed, path)
    expect(page.locator("html")).to_have_attribute("lang", language)
    wait_for_stored_language(page, language)

    installed.set_offline(True)
    try:
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.locator("html")).to_have_attribute("lang", language)
        # The help lines still work without a connection.
        expect(page.locator("main a[href='tel:112']")).to_be_visible()
        # Another page of the app, never visited, also answers with the offline page.
        page.goto("/profiel")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    finally:
        installed.set_offline(False)
    page.goto("/demo")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(heading)


def test_family_pages_never_end_up_in_the_cache(installed: BrowserContext, signed_in_state, base_url: str):
    # Signed in as Sanne, with the service worker in control, visit pages that show family data.
    installed.add_cookies(json.loads(Path(signed_in_state("sanne")).read_text())["cookies"])
    page = controlled_page(installed, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoi Sanne")
    for path in ("/profiel", "/hulp", "/demo", "/?lang=en", "/bestaat-niet", "/"):
        page.goto(path)
    wait_for_stored_language(page, "fy")

    entries = page.evaluate(CACHE_CONTENTS)
    urls = {urlsplit(entry["url"])._replace(scheme="", netloc="").geturl() for entry in entries}
    assert urls >= OFFLINE_PAGES, entries
    html = {urlsplit(e["url"])._replace(scheme="", netloc="").geturl() for e in entries if "html" in e["type"]}
    assert html == OFFLINE_PAGES, f"HTML pages in Cache Storage: {sorted(html)}"
    others = sorted(url for url in urls - OFFLINE_PAGES if not url.startswith("/static/") and url != LANGUAGE_KEY)
    assert others == [], f"unexpected entries in Cache Storage: {others}"
    # The offline pages were fetched while Sanne was signed in, yet hold nobody's name: they are for anyone.
    texts = page.evaluate("""async (urls) => {
      const found = [];
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const url of urls) { const hit = await cache.match(url); if (hit) { found.push(await hit.text()); } }
      }
      return found;
    }""", sorted(OFFLINE_PAGES))
    assert len(texts) == len(OFFLINE_PAGES)
    assert not any("Sanne" in text for text in texts)
