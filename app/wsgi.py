"""The WSGI entry point for gunicorn (settings come from the environment)."""

import gc

from app import create_app

app = create_app()
# The app's long-lived objects (routes, templates, translations, mappers) never become garbage: move them out of
# the collector's way, and collect the young generation less often (a big plan page makes many short-lived objects).
gc.collect()
gc.freeze()
gc.set_threshold(50_000, 20, 20)
