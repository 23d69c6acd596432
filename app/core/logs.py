"""Log lines that are safe and useful: one JSON object per line, with an ISO 8601 time, for the app, gunicorn and
the workers alike. Only chosen fields go in: never form data, query strings (sign-in codes and states) or ids and
tokens in paths."""

import functools
import json
import logging
import re
import traceback
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app, has_app_context

FIELDS = ("request_id", "method", "endpoint", "status", "duration_ms")
ROUTE_KEY = "onsplan.route"  # WSGI environ keys where the app leaves the matched route and endpoint for gunicorn
ENDPOINT_KEY = "onsplan.endpoint"
CONFIG_EXIT = 78  # EX_CONFIG (sysexits.h): the settings are wrong; systemd's RestartPreventExitStatus=78
_WORD = re.compile(r"[a-z][a-z-]{0,15}")  # a fixed path segment ("plan", "inloggen"); ids and tokens are not


def scrub_path(path: str | None) -> str:
    """The path without its query, every segment that is not a plain word replaced by `:id`."""
    segments = (path or "").split("?", 1)[0].split("/")
    return "/".join(part if not part or _WORD.fullmatch(part) else ":id" for part in segments) or "/"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the chosen fields of the record."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                       "level": record.levelname.lower(), "logger": record.name}
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry |= _access_fields(record.args)
        else:
            entry["message"] = _message(record)
            entry |= {key: getattr(record, key) for key in FIELDS if hasattr(record, key)}
            entry |= getattr(record, "fields", {})
        if record.exc_info and record.exc_info[0]:
            entry["exception"] = record.exc_info[0].__name__
            entry["where"] = [f"{'/'.join(Path(frame.filename).parts[-3:])}:{frame.lineno} {frame.name}"
                              for frame in traceback.extract_tb(record.exc_info[2])[-8:]]
        return json.dumps(entry, ensure_ascii=False, default=str)


def _message(record: logging.LogRecord) -> str:
    """The message; a path among gunicorn's arguments ("Error handling request /…?code=…") is scrubbed first."""
    if record.name.startswith("gunicorn.") and isinstance(record.args, tuple):
        record.args = tuple(scrub_path(arg) if isinstance(arg, str) and arg.startswith("/") else arg
                            for arg in record.args)
    return record.getMessage()


def _access_fields(atoms: dict) -> dict:
    """gunicorn's access line from its atoms: the route pattern the app matched (else the scrubbed path) and its
    endpoint, never the request line or the query string. The time runs until the last byte was sent (for a live
    stream: until it closed)."""
    route = atoms.get(f"{{{ROUTE_KEY}}}e") or scrub_path(atoms.get("U"))
    status = int(atoms["s"]) if str(atoms.get("s", "")).isdigit() else atoms.get("s")
    sent = atoms.get("B")
    return {"message": f"{atoms.get('m')} {route} {status}", "request_id": atoms.get("{x-request-id}o"),
            "method": atoms.get("m"), "route": route, "endpoint": atoms.get(f"{{{ENDPOINT_KEY}}}e"),
            "status": status, "bytes": sent if isinstance(sent, int) else None,
            "duration_ms": round(atoms.get("D", 0) / 1000, 1)}


class PlainFormatter(logging.Formatter):
    """Readable one-line logs for development, with the same chosen fields."""

    def format(self, record: logging.LogRecord) -> str:
        fields = " ".join(f"{key}={getattr(record, key)}" for key in FIELDS if hasattr(record, key))
        return f"{record.levelname} {record.name}: {record.getMessage()} {fields}".rstrip()


def configure(*, as_json: bool, level: str) -> None:
    """Send the app's logs to stderr (JSON or plain). With JSON, other libraries' warnings go out as JSON too,
    unless a server (gunicorn's logconfig_dict) or a test runner already handles the root logger."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if as_json else PlainFormatter())
    logger = logging.getLogger("onsplan")
    logger.handlers[:] = [handler]
    logger.setLevel(level.upper())
    logger.propagate = False
    root = logging.getLogger()
    if as_json and not root.handlers:
        root.addHandler(handler)
        root.setLevel(logging.WARNING)
        logging.captureWarnings(True)  # Python's warnings as JSON lines too


def say(worker: str, message: str, **fields) -> None:
    """One line of a long-running worker: a JSON log line on stderr when LOG_JSON is on, else plain on stdout."""
    if current_app.config.get("LOG_JSON"):
        logging.getLogger(f"onsplan.{worker}").info(message, extra={"fields": fields})
    else:
        click.echo(message)


class Refusal(click.ClickException):
    """A worker that refuses to start or to go on: one message, logged as JSON when LOG_JSON is on. Wrong settings
    exit with CONFIG_EXIT, which the systemd units name in RestartPreventExitStatus: no restart loop."""

    def __init__(self, message: str, *, worker: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.logger = f"onsplan.{worker}"
        self.as_json = has_app_context() and bool(current_app.config.get("LOG_JSON"))

    def show(self, file=None) -> None:
        if self.as_json:
            logging.getLogger(self.logger).error(self.message, extra={"fields": {"exit_status": self.exit_code}})
        else:
            super().show(file)


def service(worker: str):
    """Decorate a long-running worker command: with LOG_JSON on, a crash is one JSON line (the exception's type and
    where it happened, not its text, which may hold data) instead of a traceback; it exits with status 1."""
    def decorate(command):
        @functools.wraps(command)
        def run(*args, **kwargs):
            try:
                return command(*args, **kwargs)
            except (click.ClickException, click.exceptions.Exit, click.Abort):
                raise
            except Exception:
                if not current_app.config.get("LOG_JSON"):
                    raise
                logging.getLogger(f"onsplan.{worker}").critical("stopped by an error", exc_info=True)
                raise SystemExit(1) from None
        return run
    return decorate
