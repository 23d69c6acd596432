"""Time the child view and the youth view (issue 21) under gunicorn, beside the whole plan and a bare endpoint.

    python bench/children.py [--count 200] [--postgres]

On the demo family: Noor's child view as Sanne shows it on her phone (only what both may see: two people's rules per
item), Tom's "mijn plan", and the whole plan as Sanne sees it, each timed with one sequential client on loopback
after 10 warm-ups; medians, p95 and the ratio to a bare Flask endpoint measured in the same run. Issue 21 sets no
speed budget: these show that a youth's own view costs no more than the whole plan it is cut from.
"""

import argparse
import re

import requests
from common import seeded_app, signed_in, start_bare, stderr_to, summary, time_requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL instead of SQLite")
    args = parser.parse_args()
    bare, bare_url = start_bare()
    try:
        with seeded_app(args.postgres) as (server, _url, log, database):
            with stderr_to(log):  # the app's log lines go to a file, not between the figures
                app = server.start()
            with requests.Session() as client:
                floor = summary("bare Flask endpoint", time_requests(client, bare_url, args.count))["median_ms"]
            sanne, tom = signed_in(app.url, "sanne"), signed_in(app.url, "tom")
            plan = re.search(r'href="(/plan/[^"/]+)"', sanne.get(f"{app.url}/").text).group(1)
            child = re.search(r'href="(/plan/[^"]+/kind/[^"]+)"', sanne.get(app.url + plan).text).group(1)
            print(f"database: {database}; {args.count} requests per page")
            pages = (("whole plan, Sanne", sanne, plan), ("child view, Sanne shows Noor", sanne, child),
                     ("youth view, Tom", tom, f"{plan}/mijn"))
            for name, client, path in pages:
                summary(name, time_requests(client, app.url + path, args.count), floor)
                print(f"    size {len(client.get(app.url + path).content) / 1024:.1f} KB")
    finally:
        bare.terminate()


if __name__ == "__main__":
    main()
