"""gunicorn settings: threads hold long-lived streams (live updates) without blocking other requests."""

import os

worker_class = "gthread"  # never "sync": it kills streams and blocks every other request
workers = int(os.environ.get("WEB_CONCURRENCY", 2))
threads = int(os.environ.get("GUNICORN_THREADS", 50))
timeout = 60
graceful_timeout = 20
keepalive = 5
control_socket_disable = True  # several instances may run on one machine
accesslog = None  # the app logs each request itself, without personal data
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
