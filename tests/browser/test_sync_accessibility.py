"""axe-core finds nothing on the municipality's delivery pages (/beheer/sync) in nl, fy and en at 390×844: the list
per status and one message with its payload."""

import pytest

from tests.browser.helpers import LANGUAGES, assert_no_violations
from tests.browser.test_notifications_accessibility import assert_fits_the_phone

PAGES = ["/beheer/sync", "/beheer/sync?status=pending", "/beheer/sync/1"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES)
def test_sync_page(tab_for, path: str, language: str):
    page = tab_for("jeroen")
    joiner = "&" if "?" in path else "?"
    assert page.goto(f"{path}{joiner}lang={language}").status == 200
    assert_no_violations(page, language)
    assert_fits_the_phone(page)
