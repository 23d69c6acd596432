"""Time the foundation's pages end to end under gunicorn, against a bare Flask endpoint in the same run.

    python bench/pages.py [--count 300] [--postgres]

Prints median and p95 wall time per page (loopback, one client, sequential) and the ratio to the bare
endpoint; also the transfer size of each page. Numbers vary between machines: compare ratios.
"""

import argparse
import re
import tempfile

import requests
from common import start_app, start_bare, summary, time_requests

PAGES = [("welcome page (visitor)", "/", False), ("demo persona picker", "/demo", False),
         ("help lines", "/hulp", False), ("home, signed in as Sanne", "/", True),
         ("profile form, signed in", "/profiel", True), ("health check", "/healthz", False)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL instead of SQLite")
    args = parser.parse_args()

    postgres = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgres:
            from tests.support.servers import PostgresServer

            postgres = PostgresServer(durable=True).start()
            url = postgres.create_database("bench")
        else:
            url = f"sqlite:///{tmp}/bench.db"
        bare, bare_url = start_bare()
        app = start_app(url)
        try:
            with requests.Session() as client:
                floor = summary("bare Flask endpoint", time_requests(client, bare_url, args.count))["median_ms"]
            visitor, person = requests.Session(), requests.Session()
            page = person.get(f"{app.url}/demo")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            person.post(f"{app.url}/demo/inloggen/sanne", data={"csrf_token": token}).raise_for_status()
            print(f"database: {'PostgreSQL' if postgres else 'SQLite'}; {args.count} requests per page")
            for name, path, signed_in in PAGES:
                client = person if signed_in else visitor
                summary(name, time_requests(client, app.url + path, args.count), floor)
            for name, path, signed_in in PAGES:
                client = person if signed_in else visitor
                size = len(client.get(app.url + path).content)
                print(f"size {name:<33} {size / 1024:6.1f} KB (uncompressed HTML)")
        finally:
            app.stop()
            bare.terminate()
            if postgres:
                postgres.stop()


if __name__ == "__main__":
    main()
