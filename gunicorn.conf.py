"""gunicorn settings: threads hold long-lived streams (live updates) without blocking other requests."""

import logging
import os
import signal

from app.config import env_flag

worker_class = "gthread"  # never "sync": it kills streams and blocks every other request
# One instance is one worker process: scale out with more instances (one per core) behind the load balancer, all on
# one PostgreSQL and one Redis (docs/deploy.md). Each open plan page holds a thread for its live stream, so a worker
# has many: 300 threads hold 200 streams and leave 100 for pages (bench/streams.py: about 200 MB RSS).
workers = int(os.environ.get("WEB_CONCURRENCY", 1))
threads = int(os.environ.get("GUNICORN_THREADS", 300))
timeout = 60
graceful_timeout = 20
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


def post_worker_init(worker) -> None:
    """On SIGTERM (a restart) first end the worker's open live streams, with a hint to reconnect at once, so the
    worker stops as soon as its page requests are answered instead of after graceful_timeout; the pages reconnect
    to an instance that stays. With JSON logs, gunicorn's access line is the one line per request."""
    from app.plans import live  # in the worker, after the fork: the master never loads the app

    stop = signal.getsignal(signal.SIGTERM)

    def drain_then_stop(signum, frame) -> None:
        live.drain()
        stop(signum, frame)

    signal.signal(signal.SIGTERM, drain_then_stop)
    if JSON_LOGS:
        worker.wsgi.config["LOG_REQUESTS"] = False


forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
