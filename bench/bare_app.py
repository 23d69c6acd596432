"""The floor: a bare Flask endpoint under the same gunicorn settings as the app."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def bare() -> str:
    """Answer with a tiny constant page."""
    return "<!doctype html><title>bare</title><p>ok</p>"
