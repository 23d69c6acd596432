"""The floor: a bare Flask endpoint under the same gunicorn settings as the app."""

from flask import Flask

app = Flask(__name__)


class _NoEngine:
    """gunicorn.conf.py's post_fork disposes the app's database engine; the bare app has none."""

    def dispose(self, close: bool = True) -> None:
        return None


app.extensions["db_engine"] = _NoEngine()


@app.get("/")
def bare() -> str:
    """Answer with a tiny constant page."""
    return "<!doctype html><title>bare</title><p>ok</p>"
