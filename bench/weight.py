"""Page weight: a first visit to the plan page and htmx fragments, against the issue 9 budgets.

    python bench/weight.py [--runs 3] [--postgres]

Starts the migrated, demo-seeded app under gunicorn (common.seeded_app) and signs in as Sanne through /demo.

* Browser (the budget's figure): real Chromium (Playwright, the phone of the browser tests, a new context, so an
  empty cache, and service workers blocked, so every file comes from the network) opens the plan page; the bytes
  on the wire are summed from the DevTools protocol (`Network.loadingFinished` encodedDataLength: compressed body
  plus response headers) until the page's load event and a second of quiet. The live stream (text/event-stream) never
  finishes and is not page weight: it is left out and named. Chromium treats 127.0.0.1 as secure and asks for
  brotli (printed), as it does over HTTPS in production.
* Files (for context): the plan page's HTML and every stylesheet, script, icon and the manifest it references
  (and anything url() in the CSS), each fetched with `Accept-Encoding: gzip, br`, `gzip` and `identity`: compressed
  body bytes per file and uncompressed sizes. The ratio is compressed / uncompressed, measured in the same run.
* Fragments: the bodies htmx swaps in: the item editor (GET .../bewerken), saving an item edit (POST
  .../bewerken: the item comes back), one item (live update), and the catalog's results for a search.

* Mark's big plan: at the end the demo plan is grown into the big plan of bench/plan.py (30 goals, 100 actions,
  500 history entries) and opened as Mark in a fresh browser: bytes on the wire, DOM nodes and forms.

* With the service worker (issue 23, point 6): the first visit of Sanne's plan page and of Mark's big plan with
  service workers blocked and allowed, as the app served it (its access log: compressed body bytes, headers left
  out), until the worker is active and its install fetches (the shell and the offline pages) are done.

Budgets (issue 9): first load of the plan page ≤ 60 KB compressed with all CSS and JS; a fragment ≤ 6 KB.
Sizes hardly vary between runs; --runs repeats the browser load and prints the median.
"""

import argparse
import html as html_lib
import json
import re
import statistics
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import requests
from common import ROOT, seeded_app, stderr_to
from plan import make_big

sys.path.insert(0, str(ROOT))
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402

PAGE_BUDGET = 60 * 1024
FRAGMENT_BUDGET = 6 * 1024
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ENCODINGS = {"br": "gzip, br", "gzip": "gzip", "identity": "identity"}


def sign_in(base: str, key: str) -> requests.Session:
    """Sign in through the demo persona picker, like a person does."""
    client = requests.Session()
    token = TOKEN.search(client.get(f"{base}/demo", timeout=10).text).group(1)
    client.post(f"{base}/demo/inloggen/{key}", data={"csrf_token": token}, timeout=10).raise_for_status()
    return client


class References(HTMLParser):
    """Collect the files a page makes the browser fetch: stylesheets, scripts, icons, images, the manifest."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href") and set((attrs.get("rel") or "").split()) & {
                "stylesheet", "icon", "apple-touch-icon", "manifest", "preload", "modulepreload"}:
            self.urls.append(attrs["href"])
        elif tag in ("script", "img") and attrs.get("src"):
            self.urls.append(attrs["src"])


def referenced(html: str, base: str) -> list[str]:
    parser = References()
    parser.feed(html)
    return list(dict.fromkeys(urljoin(base, url) for url in parser.urls))


def raw_get(client: requests.Session, url: str, encoding: str, **kwargs) -> tuple[requests.Response, bytes]:
    """GET (or POST with data=) a URL and return the response and its body as it came over the wire."""
    method = "POST" if "data" in kwargs else "GET"
    headers = {"Accept-Encoding": ENCODINGS[encoding], **kwargs.pop("headers", {})}
    response = client.request(method, url, headers=headers, stream=True, timeout=10, **kwargs)
    response.raise_for_status()
    return response, response.raw.read(decode_content=False)


def file_sizes(client: requests.Session, base: str, plan: str) -> list[dict]:
    """The plan page's HTML and everything it references: bytes per encoding."""
    _, body = raw_get(client, base + plan, "identity")
    html = body.decode()
    urls = [base + plan, *referenced(html, base + plan)]
    css = [url for url in urls if urlparse(url).path.endswith(".css")]
    for url in css:
        text = client.get(url, timeout=10).text
        urls += [urljoin(url, found) for found in re.findall(r"url\(['\"]?([^'\")]+)", text)
                 if not found.startswith("data:")]
    rows = []
    for url in dict.fromkeys(urls):
        row = {"url": url.removeprefix(base)}
        for encoding in ENCODINGS:
            response, body = raw_get(client, url, encoding)
            row[encoding] = len(body)
            row[f"{encoding}_as"] = response.headers.get("Content-Encoding", "identity")
            row["type"] = response.headers.get("Content-Type", "").split(";")[0]
        rows.append(row)
    return rows


def fragments(client: requests.Session, base: str, plan: str) -> list[dict]:
    """The bodies of htmx fragments, per encoding."""
    htmx = {"HX-Request": "true"}
    page = client.get(base + plan, timeout=10).text
    item = re.search(rf'href="{plan}/onderdelen/(\w+)/bewerken"', page).group(1)
    edit_url = f"{base}{plan}/onderdelen/{item}/bewerken"
    editor = client.get(edit_url, headers=htmx, timeout=10).text
    version = re.search(r'name="version"[^>]*value="(\d+)"', editor).group(1)
    text = re.search(r'<textarea[^>]*name="text"[^>]*>([^<]*)</textarea>', editor)
    form = {"csrf_token": TOKEN.search(editor).group(1), "version": version,
            "text": html_lib.unescape(text.group(1)).strip() if text else "Bench"}
    cases = [
        ("item editor (GET .../bewerken)", edit_url, {}),
        ("save item edit (POST .../bewerken)", edit_url, {"data": form}),
        ("one item (live update)", f"{base}{plan}/onderdelen/{item}", {}),
        ("catalog results (q=school)", f"{base}/catalogus?q=school", {}),
        ("catalog results (no search)", f"{base}/catalogus", {}),
    ]
    rows = []
    for name, url, extra in cases:
        row = {"name": name}
        for encoding in ENCODINGS:
            if "data" in extra:  # every save needs the version the last one made
                editor = client.get(edit_url, headers=htmx, timeout=10).text
                extra["data"]["version"] = re.search(r'name="version"[^>]*value="(\d+)"', editor).group(1)
            response, body = raw_get(client, url, encoding, headers=htmx, **dict(extra))
            if encoding == "identity":
                assert b"<html" not in body, f"{name}: a whole page, not a fragment"
            row[encoding] = len(body)
            row[f"{encoding}_as"] = response.headers.get("Content-Encoding", "identity")
            row["headers"] = sum(len(k) + len(v) + 4 for k, v in response.headers.items())
        rows.append(row)
    return rows


def browser_load(base: str, plan: str, cookies: list[dict], workers: str = "block") -> dict:
    """Open the plan page in a fresh Chromium context and count the bytes on the wire per request (`workers`:
    "allow" lets the service worker install, and waits until it is active; its own fetches are not counted here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(**PHONE, service_workers=workers, base_url=base)
            context.add_cookies(cookies)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            requests_seen: dict[str, dict] = {}
            cdp.on("Network.requestWillBeSent", lambda e: requests_seen.setdefault(
                e["requestId"], {"encoded": None}).update(url=e["request"]["url"]))
            cdp.on("Network.responseReceived", lambda e: requests_seen.get(e["requestId"], {}).update(
                type=e["response"]["mimeType"], status=e["response"]["status"],
                encoding={k.lower(): v for k, v in e["response"]["headers"].items()}.get("content-encoding",
                                                                                          "identity")))
            cdp.on("Network.requestWillBeSentExtraInfo", lambda e: requests_seen.setdefault(
                e["requestId"], {"url": "?", "encoded": None}).update(
                accept={k.lower(): v for k, v in e["headers"].items()}.get("accept-encoding", "")))
            cdp.on("Network.loadingFinished", lambda e: requests_seen.get(e["requestId"], {}).update(
                encoded=e["encodedDataLength"]))
            cdp.send("Network.enable")
            page.goto(plan, wait_until="load")
            if workers == "allow":
                page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
            page.wait_for_timeout(1000)
            counts = page.evaluate("() => [document.getElementsByTagName('*').length, document.forms.length]")
            return {"requests": list(requests_seen.values()), "nodes": counts[0], "forms": counts[1]}
        finally:
            browser.close()


def served_during(log: Path, load) -> tuple[int, list[dict]]:
    """Run `load()` and return the body bytes the app sent meanwhile (its own access log: compressed bodies, headers
    not counted) and the access lines, once the log has been quiet for 1.5 s. The live stream is left out."""
    start = log.stat().st_size
    load()
    size, quiet_since = log.stat().st_size, time.monotonic()
    while time.monotonic() - quiet_since < 1.5:
        time.sleep(0.1)
        if log.stat().st_size != size:
            size, quiet_since = log.stat().st_size, time.monotonic()
    with log.open("rb") as handle:
        handle.seek(start)
        lines = [json.loads(line) for line in handle.read().splitlines() if line.startswith(b"{")]
    served = [line for line in lines if line.get("logger") == "gunicorn.access" and line.get("bytes") is not None
              and line.get("endpoint") != "plans.stream"]
    return sum(line["bytes"] for line in served), served


def with_the_worker(log: Path, base: str, plan: str, cookies: list[dict], who: str) -> None:
    """The first visit as the app sees it, with the service worker blocked and allowed (issue 23, point 6: the first
    load budget includes what the worker fetches at install)."""
    blocked, blocked_lines = served_during(log, lambda: browser_load(base, plan, cookies, "block"))
    allowed, allowed_lines = served_during(log, lambda: browser_load(base, plan, cookies, "allow"))
    extra = [line for line in allowed_lines if line["endpoint"] in ("web.offline", "web.service_worker")]
    print(f"\n== First visit of {who} with the service worker, as the app served it (body bytes, headers left out) ==")
    print(f"  worker blocked: {kb(blocked)} in {len(blocked_lines)} requests")
    print(f"  worker allowed: {kb(allowed)} in {len(allowed_lines)} requests (the worker itself and the offline "
          f"pages it keeps: {kb(sum(line['bytes'] for line in extra)).strip()} in {len(extra)})  budget "
          f"{kb(PAGE_BUDGET)}  {'met' if allowed <= PAGE_BUDGET else 'NOT met'} (before headers, ~0.3 KB a request)")


def big_plan(url: str, base: str, plan: str, host: str, runs: int, database: str, small: list[float]) -> None:
    """Grow the demo plan into Mark's big plan (bench/plan.py) and load it as Mark in a fresh browser: bytes on the
    wire beside the small plan's, and the DOM nodes and forms the browser builds."""
    facts = make_big(url)
    client = sign_in(base, "mark")
    cookies = [{"name": c.name, "value": c.value, "domain": host, "path": "/"} for c in client.cookies]
    print(f"\n== Browser: first load of Mark's big plan ({facts['goals']} goals, {facts['actions']} actions, "
          f"{facts['history']} history entries; {database}, Chromium, cache empty) ==")
    loads = [browser_load(base, plan, cookies) for _ in range(runs)]
    totals = [sum(r["encoded"] for r in load["requests"] if r.get("encoded") is not None) for load in loads]
    median = statistics.median(totals)
    print(f"  total on the wire (median of {runs}): {kb(median)}  budget {kb(PAGE_BUDGET)}  "
          f"{'met' if median <= PAGE_BUDGET else 'NOT met'}; the small plan as Sanne: {kb(statistics.median(small))}")
    print(f"  DOM nodes {loads[-1]['nodes']:,}, forms {loads[-1]['forms']}")


def kb(size: float) -> str:
    return f"{size / 1024:6.1f} KB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL instead of SQLite")
    parser.add_argument("--runs", type=int, default=3, help="browser loads of the plan page (median)")
    args = parser.parse_args()
    print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
    with seeded_app(args.postgres) as (server, url, log, database):
        with stderr_to(log):
            server.start()
        base = server.url
        client = sign_in(base, "sanne")
        plan = re.search(r'href="(/plan/\w+)[/"]', client.get(base + "/", timeout=10).text).group(1)
        host = urlparse(base).hostname
        cookies = [{"name": c.name, "value": c.value, "domain": host, "path": "/"} for c in client.cookies]

        print(f"\n== Browser: first load of the plan page as Sanne ({database}, Chromium, cache empty) ==")
        totals, loads = [], []
        for _ in range(args.runs):
            load = browser_load(base, plan, cookies)
            loads.append(load)
            finished = [r for r in load["requests"] if r.get("encoded") is not None]
            totals.append(sum(r["encoded"] for r in finished))
        last = loads[-1]["requests"]
        for r in last:
            size = kb(r["encoded"]) if r.get("encoded") is not None else " (open)"
            print(f"  {size}  {r.get('status', '?')} {r.get('encoding', '?'):8} {r.get('type', '?'):24} "
                  f"{r['url'].removeprefix(base)[:70]}")
        streams = [r["url"].removeprefix(base) for r in last if r.get("encoded") is None and "url" in r]
        accepted = {r.get("accept") for r in last if r.get("accept")}
        median = statistics.median(totals)
        follow_ups = [sum(r["encoded"] for r in load["requests"] if r.get("encoded") is not None
                          and re.search(r"/(aanwezig|onderdelen/)", r["url"])) for load in loads]
        print(f"  total on the wire (median of {args.runs}: {', '.join(kb(t).strip() for t in totals)}): "
              f"{kb(median)}  budget {kb(PAGE_BUDGET)}  {median / PAGE_BUDGET:.0%} of it  "
              f"{'met' if median <= PAGE_BUDGET else 'NOT met'}")
        print(f"  of which fetches the live stream set off (who is here, changed items): "
              f"{kb(statistics.median(follow_ups)).strip()} (median); the page itself: "
              f"{kb(statistics.median(t - f for t, f in zip(totals, follow_ups, strict=True))).strip()}")
        print(f"  left out (never finishes): {', '.join(streams) or 'nothing'}; "
              f"Chromium asked for: {', '.join(accepted) or '?'}")

        print("\n== Files of the plan page: body bytes per Accept-Encoding (compressed / identity ratio) ==")
        rows = file_sizes(client, base, plan)
        print(f"  {'file':<48} {'type':<24} {'br':>9} {'gzip':>9} {'identity':>9}")
        for row in rows:
            print(f"  {row['url'][:48]:<48} {row['type'][:24]:<24} {row['br']:>9,} {row['gzip']:>9,} "
                  f"{row['identity']:>9,}  ({row['br_as']}/{row['gzip_as']})")
        sums = {encoding: sum(row[encoding] for row in rows) for encoding in ENCODINGS}
        print(f"  {'total':<48} {'':<24} {sums['br']:>9,} {sums['gzip']:>9,} {sums['identity']:>9,}")
        print(f"  ratio to uncompressed: br {sums['br'] / sums['identity']:.2f}, gzip "
              f"{sums['gzip'] / sums['identity']:.2f};  against {kb(PAGE_BUDGET).strip()}: br {kb(sums['br'])}, "
              f"gzip {kb(sums['gzip'])}, uncompressed {kb(sums['identity'])}")

        print("\n== htmx fragments: body bytes per Accept-Encoding, budget 6.0 KB compressed ==")
        for row in fragments(client, base, plan):
            verdict = "met" if max(row["br"], row["gzip"]) <= FRAGMENT_BUDGET else "NOT met"
            print(f"  {row['name']:<38} br {row['br']:>6,} B  gzip {row['gzip']:>6,} B  identity "
                  f"{row['identity']:>6,} B  (gzip/identity {row['gzip'] / row['identity']:.2f}; "
                  f"headers ~{row['headers']:,} B)  {verdict}")

        with_the_worker(log, base, plan, cookies, "Sanne's plan page")
        big_plan(url, base, plan, host, args.runs, database, totals)
        mark = sign_in(base, "mark")
        with_the_worker(log, base, plan, [{"name": c.name, "value": c.value, "domain": host, "path": "/"}
                                          for c in mark.cookies], "Mark's big plan")
    print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
