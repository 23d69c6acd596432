"""Lighthouse (mobile profile) on the main pages, against the issue 9 budgets.

    python bench/lighthouse.py [--runs 3] [--postgres] [--only plan,catalog] [--uncompressed] [--keep DIR]

Starts the migrated, demo-seeded app under gunicorn (common.seeded_app), signs in as Sanne through /demo and runs
Lighthouse 12.8 (npm devDependency; Node 20) with its default mobile profile (Moto G Power screen, simulated
slow 4G and 4x CPU slowdown) on real Chromium, `--runs` times per page:

* the welcome page (signed out), home (signed in), the plan (`?live=0`: the plan page without its live stream,
  which would keep the network busy so the page never goes quiet), the catalog with a search, the complaints
  page and the new-complaint form;
* then the demo plan is grown into Mark's big plan (30 goals, 100 actions, 500 history entries, as bench/plan.py
  builds it) and audited as Mark (`plan-big`, `?live=0`): the professional sees every item and every form.

Signed-in pages get the session cookie through Lighthouse's `--extra-headers` (a JSON file, so the cookie is not on
a command line). Lighthouse clears the browser's storage before each run, so every run is a first visit, with the
service worker allowed: it registers at the page's load and installs during the run (the app's log shows
/service-worker.js and the offline pages fetched; Lighthouse's own request list leaves out the worker's fetches).

Prints per page the median score of performance, accessibility and best practices, the median LCP, TBT and CLS,
the bytes transferred (KB, headers included), and the audits that kept a score below 100 in any run;
--uncompressed also audits each page with `Accept-Encoding: identity`, to show what compression gains. The
welcome page (signed out, no database work) is the baseline: each page's median LCP is also given as a ratio to
it. Targets (issue 9): performance ≥ 95,
accessibility 100, best practices 100. Performance scores follow the machine's load: the load average is printed
before and after; compare runs on a quiet machine.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import requests
from common import ROOT, seeded_app, stderr_to
from plan import make_big

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
CATEGORIES = ("performance", "accessibility", "best-practices")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100}
METRICS = {"LCP": ("largest-contentful-paint", "ms"), "TBT": ("total-blocking-time", "ms"),
           "CLS": ("cumulative-layout-shift", "")}
SESSION_COOKIE = "onsplan_session"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def extra_headers(session_cookie: str | None) -> dict:
    """The headers Lighthouse sends with every request: the session cookie of a signed-in person, or none."""
    return {"Cookie": f"{SESSION_COOKIE}={session_cookie}"} if session_cookie else {}


def lighthouse_command(url: str, headers_file: Path | None) -> list[str]:
    """The Lighthouse command line for one run on one URL (mobile is Lighthouse's default form factor)."""
    command = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]
    if headers_file is not None:
        command.append(f"--extra-headers={headers_file}")
    return command


def run_lighthouse(url: str, headers_file: Path | None) -> dict:
    """Run Lighthouse once and return its JSON report."""
    done = subprocess.run(lighthouse_command(url, headers_file), env={**os.environ, "CHROME_PATH": CHROME},
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def scores(report: dict) -> dict:
    """Category scores (0-100) and the key metrics of one report."""
    found = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    for short, (audit, _unit) in METRICS.items():
        found[short] = report["audits"][audit]["numericValue"]
    requests_made = report["audits"]["network-requests"]["details"]["items"]
    found["KB"] = sum(item.get("transferSize", 0) for item in requests_made) / 1024
    return found


def shortfalls(report: dict) -> set[str]:
    """The audits that cost points: failed accessibility and best-practice audits, weak performance ones."""
    found = set()
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if audit.get("score") is None or audit.get("scoreDisplayMode") in ("informative", "manual",
                                                                                "notApplicable"):
                continue
            weak = audit["score"] < (0.9 if name == "performance" else 1)
            if weak and (ref.get("weight") or name != "performance"):
                value = audit.get("displayValue", "")
                found.add(f"{name}: {ref['id']} ({audit['score']:.2f}{', ' + value if value else ''})")
    return found


def sign_in(base: str, key: str) -> str:
    """Sign in through the demo persona picker and return the session cookie's value."""
    client = requests.Session()
    token = TOKEN.search(client.get(f"{base}/demo", timeout=10).text).group(1)
    client.post(f"{base}/demo/inloggen/{key}", data={"csrf_token": token}, timeout=10).raise_for_status()
    return client.cookies[SESSION_COOKIE]


def pages(base: str, cookie: str) -> list[tuple[str, str, bool]]:
    """(name, path, signed in) of the pages to audit."""
    home = requests.get(f"{base}/", headers=extra_headers(cookie), timeout=10).text
    plan = re.search(r'href="(/plan/\w+)[/"]', home).group(1)
    return [("welcome", "/", False), ("home", "/", True), ("plan", f"{plan}?live=0", True),
            ("catalog", "/catalogus?q=school", True), ("complaints", "/klachten", True),
            ("complaint-new", "/klachten/nieuw", True), ("plan-big", f"{plan}?live=0", True)]


def load() -> str:
    """The load average over 1, 5 and 15 minutes."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def audit_page(url: str, headers_file: Path | None, runs: int, keep: str, tag: str) -> tuple[dict, list, set]:
    """Run Lighthouse `runs` times on a page: the median of each figure, every run's figures, the shortfalls."""
    found, missing = [], set()
    for n in range(runs):
        report = run_lighthouse(url, headers_file)
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            (Path(keep) / f"{tag}-{n}.json").write_text(json.dumps(report))
        if report.get("runtimeError"):
            raise RuntimeError(f"{tag}: {report['runtimeError']}")
        if "/inloggen" in report["finalDisplayedUrl"]:
            raise RuntimeError(f"{tag}: not signed in ({report['finalDisplayedUrl']})")
        found.append(scores(report))
        missing |= shortfalls(report)
    return {key: statistics.median(run[key] for run in found) for key in found[0]}, found, missing


def write_headers(path: Path, cookie: str | None, identity: bool = False) -> Path | None:
    """Write Lighthouse's extra headers to a JSON file (None when there are none)."""
    headers = {**extra_headers(cookie), **({"Accept-Encoding": "identity"} if identity else {})}
    if not headers:
        return None
    path.write_text(json.dumps(headers))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL instead of SQLite")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--only", default="", help="comma-separated page names (welcome,home,plan,catalog,...)")
    parser.add_argument("--keep", default="", help="a folder to keep each run's JSON report in")
    parser.add_argument("--uncompressed", action="store_true",
                        help="also audit each page with Accept-Encoding: identity (what compression gains)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} not found: run npm ci")
        return 2
    print(f"load average before: {load()}")
    results, plain = {}, {}
    with seeded_app(args.postgres) as (server, url, log, database), tempfile.TemporaryDirectory() as tmp:
        with stderr_to(log):
            server.start()
        base = server.url
        cookie = sign_in(base, "sanne")
        chosen = [page for page in pages(base, cookie) if not args.only or page[0] in args.only.split(",")]
        print(f"Lighthouse 12.8, mobile, {args.runs} runs per page, {database}, signed in as Sanne "
              "(plan-big: as Mark)\n")
        for name, path, signed_in in chosen:
            if name == "plan-big":  # the last page: the demo plan grows into the big plan, seen by Mark
                facts = make_big(url)
                print(f"(the demo plan grown to {facts['goals']} goals, {facts['actions']} actions, "
                      f"{facts['history']} history entries)", flush=True)
                cookie = sign_in(base, "mark")
            headers = write_headers(Path(tmp) / f"{name}.json", cookie if signed_in else None)
            results[name] = audit_page(base + path, headers, args.runs, args.keep, name)
            median, runs, _ = results[name]
            print(f"{name:<14} perf {median['performance']:>3.0f}  a11y {median['accessibility']:>3.0f}  "
                  f"best {median['best-practices']:>3.0f}   LCP {median['LCP']:>6.0f} ms  "
                  f"TBT {median['TBT']:>4.0f} ms  CLS {median['CLS']:.3f}  {median['KB']:5.1f} KB  "
                  f"(perf per run: {', '.join(str(r['performance']) for r in runs)})", flush=True)
            if args.uncompressed:
                headers = write_headers(Path(tmp) / f"{name}-identity.json", cookie if signed_in else None, True)
                plain[name] = audit_page(base + path, headers, args.runs, args.keep, f"{name}-identity")[0]
                print(f"{'  uncompressed':<14} perf {plain[name]['performance']:>3.0f}  "
                      f"LCP {plain[name]['LCP']:>6.0f} ms  {plain[name]['KB']:5.1f} KB", flush=True)
    print(f"\nload average after: {load()}")
    floor = results.get("welcome", ({},))[0].get("LCP")
    print(f"\n{'page':<14} {'perf':>5} {'a11y':>5} {'best':>5} {'LCP ms':>8} {'× welcome':>9} {'TBT ms':>7} "
          f"{'CLS':>6} {'KB':>6}  targets (perf ≥ 95, a11y 100, best 100)")
    for name, (median, _runs, missing) in results.items():
        met = all(median[key] >= target for key, target in TARGETS.items())
        ratio = f"{median['LCP'] / floor:8.2f}x" if floor else "       —"
        print(f"{name:<14} {median['performance']:>5.0f} {median['accessibility']:>5.0f} "
              f"{median['best-practices']:>5.0f} {median['LCP']:>8.0f} {ratio} {median['TBT']:>7.0f} "
              f"{median['CLS']:>6.3f} {median['KB']:>6.1f}  {'met' if met else 'NOT met'}")
        if name in plain:
            print(f"{'  uncompressed':<14} {plain[name]['performance']:>5.0f} {'':>5} {'':>5} "
                  f"{plain[name]['LCP']:>8.0f} {'':>9} {plain[name]['TBT']:>7.0f} {'':>6} {plain[name]['KB']:>6.1f}"
                  f"  (compressed LCP {median['LCP'] / plain[name]['LCP']:.2f}x of it)")
        for line in sorted(missing):
            print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
