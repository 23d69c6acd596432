"""gunicorn settings: threads hold long-lived streams (live updates) without blocking other requests."""

import logging
import os

from app.config import env_flag

worker_class = "gthread"  # never "sync": it kills streams and blocks every other request
# One instance is one worker process: scale out with more instances (one per core) behind the load balancer, all on
# one PostgreSQL and one Redis (docs/deploy.md). Each open plan page holds a thread for its live stream, so a worker
# has many: 300 threads hold 200 streams and leave 100 for pages (bench/streams.py: about 200 MB RSS).
workers = int(os.environ.get("WEB_CONCURRENCY", 1))
threads = int(os.environ.get("GUNICORN_THREADS", 300))
timeout = 60
graceful_timeout = 20  # the requests in hand when a restart stops an instance; live streams end at once
# Load the app before listening: a starting instance refuses connections (nginx sends them to the other) until it
# can answer them, instead of holding them while it imports (a second or more).
preload_app = True
DRAIN_SECONDS = float(os.environ.get("DRAIN_SECONDS") or 0)  # README.md, Configuration
if not 0 <= DRAIN_SECONDS <= 15:  # the requests in hand need the rest of graceful_timeout
    raise SystemExit(f"DRAIN_SECONDS must be between 0 and 15, not {DRAIN_SECONDS}")
keepalive = 5
control_socket_disable = True  # several instances may run on one machine
# Logs: with LOG_JSON (on by default when APP_ENV is production, as in the app) gunicorn's own lines and its access
# lines are JSON on stderr, one object per line with an ISO 8601 time (app.core.logs). An access line names the
# route pattern the app matched ("/uitnodiging/<token>") and its endpoint, never the path with its ids or the query
# string (sign-in codes and states); it replaces the app's own request line. Without LOG_JSON gunicorn keeps its
# plain lines and writes no access lines: the app logs each request itself.
JSON_LOGS = env_flag("LOG_JSON", os.environ.get("APP_ENV", "production") not in ("development", "test"))
if JSON_LOGS:
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "app.core.logs.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "root": {"level": "WARNING", "handlers": ["stderr"]},
        "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
                    "gunicorn.access": {"level": "INFO", "handlers": ["stderr"], "propagate": False}},
    }
    logging.captureWarnings(True)  # Python's warnings as JSON lines too
else:
    accesslog = None


def post_fork(_server, worker) -> None:
    """The app was loaded once in the master (preload_app): the worker opens its own database connections."""
    worker.app.wsgi().extensions["db_engine"].dispose(close=False)


def post_worker_init(worker) -> None:
    """Stop for a restart without failing or losing a request (app.core.restart): on SIGTERM end the open live
    streams with a hint to reconnect at once, keep serving DRAIN_SECONDS (for a load balancer that checks /readyz;
    0 behind nginx), then refuse new connections and answer those in hand. With JSON logs, gunicorn's access line
    is the one line per request."""
    from app.core.restart import stop_cleanly_on_sigterm  # in the worker, after the fork
    from app.plans import live

    stop_cleanly_on_sigterm(worker, first=live.drain, delay=DRAIN_SECONDS)
    if JSON_LOGS:
        worker.wsgi.config["LOG_REQUESTS"] = False


forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
