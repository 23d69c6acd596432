"""Real Chromium against the real app under gunicorn: the server, the browser settings and signed-in pages.

Nothing here skips: a missing Chromium, axe-core (see helpers.axe_violations) or translation catalogue fails.
"""

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, PHONE, sign_in_on_demo_page
from tests.support.servers import AppServer

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder as a browser test (pick them with -m browser, leave out with -m 'not browser')."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def base_url(app_server: AppServer) -> str:
    """pytest-playwright gives every context this base URL: page.goto("/hulp") goes to the test server (the
    session's seeded server, tests/conftest.py: each test finds the world as seeded)."""
    assert CHROMIUM.exists(), f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
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
