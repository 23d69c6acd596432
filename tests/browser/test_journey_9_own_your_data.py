"""Journey 9, Own your data (PRODUCT.md), through the UI only at 390×844: Erik reads who viewed or changed the family's
data (his own view of the plan a moment ago among it), prints the plan, downloads it as PDF and as FHIR JSON, and
finds the help lines one tap away; Sanne, at the same time, reads the print in her own language (Frysk). Key screens
in fy and en too."""

import json
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.helpers import assert_no_violations
from tests.browser.journey_steps import go_home, in_each_language, open_plan, phone, say, tap


def test_erik_sees_who_viewed_the_plan_prints_and_exports_it_and_finds_the_help_lines(signed_in):
    erik = phone(signed_in, "erik")
    open_plan(erik)  # this view is written down
    go_home(erik)
    tap(erik, erik.get_by_role("link", name=say("nl", "Who viewed or changed our data?")).first)
    expect(erik.get_by_role("heading", level=1)).to_have_text(say("nl", "Who viewed or changed our data?"))
    log = erik.locator("main")
    expect(log.locator(".log__who").filter(has_text="Erik de Boer").first).to_be_visible()
    expect(log.locator(".log__who").filter(has_text="Mark Visser").first).to_be_visible()
    assert_no_violations(erik, "nl")

    def log_page(language: str) -> None:
        expect(erik.get_by_role("heading", level=1)).to_have_text(say(language, "Who viewed or changed our data?"))
        expect(erik.locator(".log__who").filter(has_text="Erik de Boer").first).to_be_visible()
    in_each_language(erik, log_page)

    # Print, PDF and FHIR from the plan.
    go_home(erik)
    open_plan(erik)
    tap(erik, erik.get_by_role("link", name=say("nl", "Print the plan")))
    expect(erik.locator("main")).to_contain_text("Tom gaat weer met plezier naar school")
    assert_no_violations(erik, "nl")
    with erik.expect_download() as pdf:
        erik.get_by_role("link", name=say("nl", "Download as PDF")).click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"
    with erik.expect_download() as fhir:
        erik.get_by_role("link", name=re.compile("FHIR")).click()
    exported = json.loads(Path(fhir.value.path()).read_text(encoding="utf-8"))
    found = json.dumps(exported)
    assert "CarePlan" in found
    assert "Goal" in found
    assert "Tom gaat weer met plezier naar school" in found

    # The help lines, one tap away from this screen too.
    erik.locator("summary.help-menu__toggle").click()
    menu = erik.locator(".help-menu__panel")
    for number in ("112", "08002000", "08000432", "113"):
        expect(menu.locator(f'a[href="tel:{number}"]')).to_be_visible()
    assert_no_violations(erik, "nl")

    # Language per person: Sanne reads the same print in Frysk while Erik's stays Dutch.
    sanne = phone(signed_in, "sanne")
    open_plan(sanne)
    tap(sanne, sanne.get_by_role("link", name=say("fy", "Print the plan")))
    expect(sanne.locator("html")).to_have_attribute("lang", "fy")
    expect(sanne.get_by_role("link", name=say("fy", "Download as PDF"))).to_be_visible()
    assert_no_violations(sanne, "fy")
    erik.reload()
    expect(erik.locator("html")).to_have_attribute("lang", "nl")

    def print_page(language: str) -> None:
        expect(sanne.get_by_role("link", name=say(language, "Download as PDF"))).to_be_visible()
        expect(sanne.locator("main")).to_contain_text("Tom gaat weer met plezier naar school")
    in_each_language(sanne, print_page, languages=("en",), back="fy")
