"""Real Chromium against the real app under gunicorn: the server, the browser settings and signed-in pages.

Nothing here skips: a missing Chromium, axe-core (see helpers.axe_violations) or translation catalogue fails.
"""

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, PHONE, sign_in_on_demo_page
from tests.support.servers import ROOT, AppServer

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder as a browser test (pick them with -m browser, leave out with -m 'not browser')."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


def _compile_translations() -> None:
    """Compile the catalogues when a .mo file is missing or older than its .po file."""
    catalogs = sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))
    assert catalogs, "no translation catalogues found under translations/"
    stale = [po for po in catalogs
             if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]
    if stale:
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-d", "translations"],
                       cwd=ROOT, check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app under gunicorn on its own SQLite database with the demo family, for the whole run."""
    assert CHROMIUM.exists(), f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
    _compile_translations()
    tmpdir = tmp_path_factory.mktemp("browser-app")
    server = AppServer({
        "APP_ENV": "development",
        "DEMO": "1",
        "SECRET_KEY": "browser-test-secret",
        "DATABASE_URL": f"sqlite:///{tmpdir}/browser.db",
        "SESSION_COOKIE_SECURE": "0",
        "LOG_JSON": "0",
        "MAIL_DIR": f"{tmpdir}/mail",  # the demo mailbox of this run only, not the repository's instance folder
        # A plan page holds one of gunicorn's 16 threads for its live stream; the server only notices a page has
        # gone when its next ping fails, so ping often and let the tests open many plan pages in a row.
        "LIVE_HEARTBEAT_SECONDS": "2",
    })
    server.flask("db", "upgrade")
    server.flask("demo", "seed")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(app_server: AppServer) -> str:
    """pytest-playwright gives every context this base URL: page.goto("/hulp") goes to the test server."""
    return app_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    assert CHROMIUM.exists(), f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, **PHONE}


@pytest.fixture(scope="session")
def signed_in_state(browser: Browser, browser_context_args: dict, tmp_path_factory: pytest.TempPathFactory
                    ) -> Callable[[str], Path]:
    """Sign in once per persona through /demo (sign-in is rate limited) and hand out the saved cookies.

    A saved sign-in is used for at most ten minutes: staff sessions end after 30 idle minutes.
    """
    folder = tmp_path_factory.mktemp("storage-state")
    states: dict[str, Path] = {}
    signed_in_at: dict[str, float] = {}

    def state(key: str) -> Path:
        if key not in states or time.monotonic() - signed_in_at[key] > 600:
            signed_in_at[key] = time.monotonic()
            context = browser.new_context(**browser_context_args)
            try:
                sign_in_on_demo_page(context.new_page(), key)
                context.storage_state(path=folder / f"{key}.json")
                states[key] = folder / f"{key}.json"
            finally:
                context.close()
        return states[key]

    return state


@pytest.fixture(scope="module")
def tab_for(browser: Browser, browser_context_args: dict, signed_in_state: Callable[[str], Path]
            ) -> Iterator[Callable[..., Page]]:
    """One tab (its own context, CSP bypassed so axe can be injected) per visitor or persona, for a module.

    Tests that only read share these tabs (each test navigates afresh), which keeps the run short.
    `tab_for()` is a visitor; `tab_for(None, "name")` is another visitor with cookies of its own.
    """
    tabs: dict[tuple[str | None, str], Page] = {}

    def tab(persona: str | None = None, name: str = "") -> Page:
        if (persona, name) not in tabs:
            options = {**browser_context_args, "bypass_csp": True}
            if persona:
                options["storage_state"] = signed_in_state(persona)
            tabs[(persona, name)] = browser.new_context(**options).new_page()
        return tabs[(persona, name)]

    yield tab
    for page in tabs.values():
        page.context.close()


@pytest.fixture
def signed_in(new_context: Callable[..., BrowserContext], signed_in_state: Callable[[str], Path]
              ) -> Callable[..., Page]:
    """Return a page in a new context (extra context options allowed) signed in as a demo persona."""

    def open_as(key: str, **context_options) -> Page:
        return new_context(storage_state=signed_in_state(key), **context_options).new_page()

    return open_as
