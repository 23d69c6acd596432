"""Helpers for the sync tests: events in the outbox, the simulator and the worker as real processes."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import requests
from sqlmodel import select

from app.extensions import db
from app.outbox import services as outbox
from app.outbox.models import OutboxEvent
from tests.support.oidc import EVENTS_AUDIENCE
from tests.support.oidc import SHORT_EVENTS_AUDIENCE as SHORT_AUDIENCE  # noqa: F401  (tokens living 2 s)
from tests.support.servers import ROOT, free_port


def demo_payload(flask_app, event_type: str = "care.started") -> dict:
    """A valid payload of the demo family's events, to copy for other plans."""
    with flask_app.app_context(), db.new_session() as session:
        return dict(session.exec(select(OutboxEvent.payload).where(OutboxEvent.event_type == event_type)).first())


def add_events(flask_app, *, plans: int, per_plan: int, prefix: str = "p") -> list[str]:
    """Emit `per_plan` events for each of `plans` plans (interleaved, as real traffic is); return their keys."""
    payload = demo_payload(flask_app)
    keys = []
    with flask_app.app_context(), db.new_session() as session:
        for _round in range(per_plan):
            for n in range(plans):
                event = outbox.emit(session, event_type="care.started", aggregate_type="plan",
                                    aggregate_id=f"{prefix}{n}", payload={**payload, "plan_id": f"{prefix}{n}"})
                keys.append(event.idempotency_key)
        session.commit()
    return keys


def statuses(flask_app) -> dict[str, int]:
    from app.sync.worker import counts

    with flask_app.app_context(), db.new_session() as session:
        return counts(session)


def wait_until(check, timeout: float = 30, every: float = 0.05, message: str = "condition"):
    """Poll `check` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {message}")


def base_env(database_url: str) -> dict[str, str]:
    return {"APP_ENV": "development", "DEMO": "1", "SECRET_KEY": "sync-test-secret", "DATABASE_URL": database_url,
            "LOG_JSON": "0", "SESSION_COOKIE_SECURE": "0"}


class Process:
    """`flask --app app ARGS` as a child process with its own environment and log."""

    def __init__(self, args: list[str], env: dict[str, str], log_path) -> None:
        self.log_path = log_path
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                                            env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


class Simulator(Process):
    """`flask municipality simulate` on its own port."""

    def __init__(self, env: dict[str, str], log_path, *, port: int | None = None, args: tuple[str, ...] = ()) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(["municipality", "simulate", "--port", str(self.port), *args], env, log_path)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        raise RuntimeError(f"the simulator did not start:\n{self.log()}")

    def received(self) -> dict:
        return requests.get(f"{self.url}/_received", timeout=5).json()

    def control(self, **body) -> None:
        requests.post(f"{self.url}/_control", json=body, timeout=5).raise_for_status()


def worker_env(database_url: str, *, endpoint: str, token_url: str, resource: str = EVENTS_AUDIENCE,
               **extra: str) -> dict[str, str]:
    """The worker with short waits: backoff from 0.2 s, at most 1 s; idle polls of 0.1 s."""
    from tests.support.oidc import SYNC_CLIENT

    return {**base_env(database_url), "SYNC_ENDPOINT": endpoint, "SYNC_TOKEN_URL": token_url,
            "SYNC_CLIENT_ID": SYNC_CLIENT["client_id"], "SYNC_CLIENT_SECRET": SYNC_CLIENT["client_secret"],
            "SYNC_RESOURCE": resource, "SYNC_BACKOFF_BASE_SECONDS": "0.2", "SYNC_BACKOFF_MAX_SECONDS": "1",
            "SYNC_IDLE_SECONDS": "0.1", "SYNC_TIMEOUT_SECONDS": "3", **extra}


def accepted_once_in_order(received: dict, keys: list[str]) -> None:
    """Every key accepted exactly once, nothing refused, and per plan in the order of its sequence."""
    accepted = [entry["key"] for entry in received["accepted"]]
    assert sorted(accepted) == sorted(keys), "not every event arrived, or one arrived twice"
    assert len(set(accepted)) == len(accepted)
    assert received["rejected"] == [], received["rejected"]
    per_plan: dict[str, list[int]] = {}
    for entry in received["accepted"]:
        per_plan.setdefault(entry["subject"], []).append(entry["sequence"])
    for subject, sequences in per_plan.items():
        assert sequences == sorted(sequences), f"plan {subject} out of order: {sequences}"


def dump(value) -> str:
    return json.dumps(value, indent=1)[:2000]
