"""Every page a visitor or persona can reach fits a phone (390×844) in nl, fy and en (issue 17).

Per visitor and persona the test follows the links from the home page (same site, GET; not signing in or out, no
downloads), one page per path with its ids left out (at most MOST_PAGES), and on each page, with every <details>
opened, finds nothing that `phone_layout_problems` reports: a text field or list narrower than 120 px (you cannot
see what you type), a tap target smaller than 24×24 px (WCAG 2.2 SC 2.5.8; links in running text excepted), or
sideways scrolling. Each page is checked in Dutch, Frisian (longer words) and English.

The links are followed by reading the pages' HTML (quick); Chromium draws a page only when its <main> differs from
one it already checked in this test process (tokens and form values left out): pages that look the same for
several people, such as the help lines, are drawn once for visitors and once for the signed-in, not ten times.
A page that shows someone something of their own (a plan, a goal banner in the catalogue) is drawn for them.
"""

import hashlib
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest

from tests.browser.helpers import LANGUAGES, PERSONA_NAMES, phone_layout_problems

VISITORS = (None, *PERSONA_NAMES)  # None: someone who is not signed in
MOST_PAGES = 40  # per visitor or persona; Mark, the busiest, reaches about 25 paths
# Not pages to look at: signing in or out, files to download, the API, fragments and the live stream.
NOT_A_PAGE = re.compile(r"^/(inloggen|uitloggen|api)(/|$)|\.(pdf|json|csv|ics|js|png|ico|txt|webmanifest)$"
                        r"|/bijlagen/|fhir|/(live|aanwezig)$")
VOLATILE = re.compile(r'(value|nonce|content)="[^"]*"|"X-CSRFToken": "[^"]*"')
# What the pages drawn so far in this test process looked like: (signed in, language, <main>) → the first URL.
DRAWN: dict[tuple[bool, str, str], str] = {}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href") and "download" not in found:
            self.hrefs.append(found["href"])


def path_key(url: str) -> str:
    """The path with every id (a part holding a digit) left out: one plan, offer or family stands for all."""
    return re.sub(r"/[^/]*\d[^/]*", "/#", urlsplit(url).path.rstrip("/") or "/")


def in_language(url: str, language: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"] + [("lang", language)]
    return urlunsplit(("", "", parts.path, urlencode(query), ""))


def read(page, origin: str, url: str) -> tuple[str, list[str], str] | None:
    """Fetch a page with the tab's cookies: where it ended, the links on it, and its <main> without tokens."""
    response = page.request.get(origin + in_language(url, LANGUAGES[0]))
    if not response.url.startswith(origin) or "text/html" not in response.headers.get("content-type", ""):
        return None
    html = response.text()
    parser = Links()
    parser.feed(html)
    links = []
    for href in parser.hrefs:
        parts = urlsplit(urljoin(response.url, href))
        if f"{parts.scheme}://{parts.netloc}" == origin and not NOT_A_PAGE.search(parts.path):
            links.append(urlunsplit(("", "", parts.path, parts.query, "")))
    main = re.search(r"<main.*</main>", html, re.S)
    return response.url, links, VOLATILE.sub("", main.group(0) if main else html)


def check(page, url: str, language: str) -> list[str]:
    # The deferred scripts wait for the style sheet, so at DOMContentLoaded the page is laid out as it will be.
    response = page.goto(in_language(url, language), wait_until="domcontentloaded")
    lang = page.locator("html").get_attribute("lang")
    problems = [] if lang == language else [f"the page is in {lang!r}, not {language!r}"]
    problems += phone_layout_problems(page)
    status = response.status if response else "?"
    return [f"{language} {url} ({status}): {problem}" for problem in problems]


@pytest.mark.parametrize("persona", VISITORS, ids=[key or "visitor" for key in VISITORS])
def test_every_reachable_page_fits_a_phone(tab_for, base_url, persona):
    page = tab_for(persona)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    problems, pages, drawn, queue, known = [], [], 0, ["/"], {"/"}
    while queue and len(pages) < MOST_PAGES:
        url = queue.pop(0)
        found = read(page, origin, url)
        if found is None:
            continue
        final, links, main = found
        pages.append(url)
        known.add(path_key(final))  # where a redirect ended
        for link in links:
            if path_key(link) not in known:
                known.add(path_key(link))
                queue.append(link)
        signature = hashlib.sha256(main.encode()).hexdigest()
        for language in LANGUAGES:
            if (persona is not None, language, signature) not in DRAWN:
                DRAWN[(persona is not None, language, signature)] = url
                drawn += 1
                problems += check(page, url, language)
    assert len(pages) >= (3 if persona is None else 8), f"the links led to too little: {pages}"
    assert problems == [], (f"{persona or 'a visitor'} on a 390×844 phone ({len(pages)} pages, {drawn} drawn): "
                            f"{pages}\n" + "\n".join(problems))


SAMPLE = """<!doctype html><html lang="nl"><head><meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { margin: 0; font: 16px/1.5 sans-serif; } .row { display: flex; } .row input { flex: 1; min-width: 0; }
.row button { width: 100%; } .tiny { display: inline-block; width: 16px; height: 16px; padding: 0; border: 0; }
.hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0, 0, 0, 0); }
.pair { display: flex; } .pair label { padding: 4px; } .box { width: 12px; height: 12px; margin: 0; }
.tight { list-style: none; padding: 0; line-height: 1.2; } summary { min-height: 44px; }</style></head>
<body><main>
  <div class="row"><input type="search" id="squeezed" aria-label="Zoeken"><button>Zoeken</button></div>
  <input type="text" id="wide" aria-label="Naam" style="width: 200px">
  <select id="narrow-list" aria-label="Soort" style="width: 80px"><option>a</option></select>
  <p class="pair"><label>Ja <input type="checkbox" class="box" id="box"></label>
    <label><input type="checkbox" class="box"> Nee</label></p>
  <p>Zie <a href="/x" id="in-text">a</a> <a href="/x">b</a> hier.</p>
  <ul class="tight"><li><a href="/y">Een</a></li><li><a href="/z">Twee</a></li></ul>
  <p><button class="tiny" id="crowded-1">1</button><button class="tiny" id="crowded-2">2</button></p>
  <p style="margin: 40px"><button class="tiny" id="spaced">3</button></p>
  <span class="hidden"><input type="radio" id="out-of-sight"><a href="/z">Verborgen</a></span>
  <details><summary>Meer</summary><input type="text" id="in-details" style="width: 60px"></details>
  <div style="width: 600px">te breed</div>
</main></body></html>"""


def test_the_check_names_each_problem_and_keeps_the_exceptions(tab_for):
    """The check itself, on a page made for it: what it must report, and what SC 2.5.8 allows (a link in a
    sentence, a small target with room around it, a checkbox whose label is large enough, what cannot be seen)."""
    page = tab_for(None, "sample")
    page.set_content(SAMPLE)
    problems = phone_layout_problems(page)
    report = "\n".join(problems)
    for expected in ("field narrower than 120 px: <input[type=search]#squeezed",
                     "field narrower than 120 px: <select#narrow-list",
                     "field narrower than 120 px: <input[type=text]#in-details",
                     "tap target smaller than 24×24 px: <a> \"Een\"",
                     "tap target smaller than 24×24 px: <a> \"Twee\"",
                     "tap target smaller than 24×24 px: <button#crowded-1.tiny>",
                     "tap target smaller than 24×24 px: <button#crowded-2.tiny>",
                     "the page scrolls sideways"):
        assert expected in report, f"not reported: {expected}\n{report}"
    for allowed in ("#wide", "#in-text", "#spaced", "#box", "#out-of-sight", "Verborgen"):
        assert allowed not in report, f"reported although allowed: {allowed}\n{report}"
    assert len(problems) == 8, report
