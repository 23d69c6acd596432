"""Time the child view and the youth view (issue 21) under gunicorn, beside the whole plan and a bare endpoint.

    python bench/children.py [--count 200] [--postgres]

On the demo family: Noor's child view as Sanne shows it on her phone (only what both may see: two people's rules per
item), Tom's "mijn plan", and the whole plan as Sanne sees it, each timed with one sequential client on loopback
after 10 warm-ups; medians, p95 and the ratio to a bare Flask endpoint measured in the same run. Issue 21 sets no
speed budget: these show that a youth's own view costs no more than the whole plan it is cut from.
"""

import argparse
import re
import tempfile

import requests
from common import start_app, start_bare, summary, time_requests


def signed_in(base: str, key: str) -> requests.Session:
    session = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', session.get(f"{base}/demo").text).group(1)
    session.post(f"{base}/demo/inloggen/{key}", data={"csrf_token": token}).raise_for_status()
    return session


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL instead of SQLite")
    args = parser.parse_args()
    postgres = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgres:
            from tests.support.servers import PostgresServer

            postgres = PostgresServer().start()
            url = postgres.create_database("bench")
        else:
            url = f"sqlite:///{tmp}/bench.db"
        bare, bare_url = start_bare()
        app = start_app(url)
        try:
            with requests.Session() as client:
                floor = summary("bare Flask endpoint", time_requests(client, bare_url, args.count))["median_ms"]
            sanne, tom = signed_in(app.url, "sanne"), signed_in(app.url, "tom")
            plan = re.search(r'href="(/plan/[^"/]+)"', sanne.get(f"{app.url}/").text).group(1)
            child = re.search(r'href="(/plan/[^"]+/kind/[^"]+)"', sanne.get(app.url + plan).text).group(1)
            print(f"database: {'PostgreSQL' if postgres else 'SQLite'}; {args.count} requests per page")
            pages = (("whole plan, Sanne", sanne, plan), ("child view, Sanne shows Noor", sanne, child),
                     ("youth view, Tom", tom, f"{plan}/mijn"))
            for name, client, path in pages:
                summary(name, time_requests(client, app.url + path, args.count), floor)
                print(f"    size {len(client.get(app.url + path).content) / 1024:.1f} KB")
        finally:
            app.stop()
            bare.terminate()
            if postgres:
                postgres.stop()


if __name__ == "__main__":
    main()
