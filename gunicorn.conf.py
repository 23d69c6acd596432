"""gunicorn settings: threads hold long-lived streams (live updates) without blocking other requests."""

import os

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
accesslog = None  # the app logs each request itself, without personal data
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
