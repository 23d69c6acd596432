"""Logs safe and useful (issue 19, point 4): every line JSON with an ISO 8601 time, from gunicorn (its own lines
and its access lines), the app and the workers; no ids, tokens, sign-in codes or states in any of them."""

import io
import json
import logging
from datetime import datetime

import click
import click.testing
import pytest
import requests
from flask import Flask

from app import create_app
from app.core.logs import say, service
from app.extensions import db
from tests.support.servers import AppServer

SECRETS = ("S3cretInvitationToken", "THE-CODE-42", "THE-STATE-42", "QUERYVALUE7")


def _entries(text: str) -> list[dict]:
    """Every line as a JSON object (json.loads fails on any line that is not), each with an ISO 8601 time."""
    entries = [json.loads(line) for line in text.splitlines() if line.strip()]
    for entry in entries:
        assert datetime.fromisoformat(entry["time"]).utcoffset() is not None, entry
        assert {"level", "logger", "message"} <= entry.keys(), entry
    return entries


def test_gunicorn_and_the_app_write_json_lines_with_routes_not_ids_or_codes(operator_seed, tmp_path):
    env = {"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "logs-test-secret", "LOG_JSON": "1",
           "GUNICORN_THREADS": "4", "SESSION_COOKIE_SECURE": "0", **operator_seed.copy_to(tmp_path / "world")}
    output = tmp_path / "gunicorn.log"
    server = AppServer(env).start(("--config", "gunicorn.conf.py"), output=output)
    try:
        requests.get(f"{server.url}/uitnodiging/{SECRETS[0]}", timeout=10)
        requests.get(f"{server.url}/inloggen/citizens/terug?code={SECRETS[1]}&state={SECRETS[2]}", timeout=10)
        requests.get(f"{server.url}/nergens/{SECRETS[0]}?token={SECRETS[3]}", timeout=10)
    finally:
        server.stop()
    text = output.read_text()
    entries = _entries(text)
    for secret in SECRETS:
        assert secret not in text
    access = [entry for entry in entries if entry["logger"] == "gunicorn.access"]
    assert {(entry["method"], entry["route"], entry["status"]) for entry in access} >= {
        ("GET", "/uitnodiging/<token>", 404), ("GET", "/inloggen/<name>/terug", 404), ("GET", "/nergens/:id", 404)}
    assert all(entry["request_id"] and entry["duration_ms"] >= 0 for entry in access)
    endpoints = {entry["route"]: entry["endpoint"] for entry in access}
    assert endpoints["/uitnodiging/<token>"] == "invitations.open_link"
    assert not [entry for entry in entries if entry["logger"] == "onsplan.request"]  # one line per request
    said = {entry["message"] for entry in entries if entry["logger"] == "gunicorn.error"}
    assert any(message.startswith("Booting worker") for message in said), said


@pytest.fixture
def json_app(tmp_path) -> Flask:
    """An app that logs JSON, its lines caught in a buffer instead of stderr."""
    flask_app = create_app({"ENV_NAME": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
                            "LOG_JSON": True})
    flask_app.extensions["log_buffer"] = buffer = io.StringIO()
    logging.getLogger("onsplan").handlers[0].setStream(buffer)
    yield flask_app
    with flask_app.app_context():
        db.engine.dispose()


def test_a_workers_lines_and_its_crash_are_one_json_line_each(json_app):
    @click.command()
    @service("sync")
    def crashing() -> None:
        say("sync", "sync: 3 delivered, 1 failed (0 dead)", delivered=3, failed=1, dead=0)
        {}["missing"]  # noqa: B018  (a bug: the worker stops)

    with json_app.app_context():
        result = click.testing.CliRunner().invoke(crashing)
    assert result.exit_code == 1
    said, crash = _entries(json_app.extensions["log_buffer"].getvalue())
    assert said["logger"] == "onsplan.sync"
    assert (said["message"], said["delivered"], said["failed"]) == ("sync: 3 delivered, 1 failed (0 dead)", 3, 1)
    assert (crash["level"], crash["message"], crash["exception"]) == ("critical", "stopped by an error", "KeyError")
    assert crash["where"][-1].endswith("crashing")
    assert "missing" not in json.dumps(crash)  # the exception's text may hold data: only its type and place
