"""The sync worker in production (issue 19, point 5): it refuses an http:// address and explains missing SYNC_*
settings in one JSON line, with the exit status that the systemd unit in docs/deploy.md does not restart."""

import json
import os
import re
import subprocess
import sys

from app.core.logs import CONFIG_EXIT
from app.sync.worker import settings_problems
from tests.support.servers import ROOT


def _sync_run(tmp_path, **settings: str) -> subprocess.CompletedProcess:
    """`flask sync run` as systemd starts it in production: APP_ENV=production and only the given SYNC_*."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SYNC_", "LOG_", "OIDC_", "MAIL_", "APP_", "DEMO", "SITE_URL"))}
    env |= {"APP_ENV": "production", "SECRET_KEY": "production-secret-for-the-sync-test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", **settings}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", "sync", "run"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def _one_json_line(result: subprocess.CompletedProcess) -> dict:
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    entry = json.loads(lines[0])
    assert (entry["level"], entry["logger"], entry["exit_status"]) == ("error", "onsplan.sync", CONFIG_EXIT)
    return entry


def test_the_documented_unit_does_not_restart_on_the_settings_exit_status():
    unit = re.search(r"\n *ExecStart=\S+ --app app sync run[^`]*", (ROOT / "docs" / "deploy.md").read_text()).group()
    assert f"\n   RestartPreventExitStatus={CONFIG_EXIT}\n" in unit


def test_production_refuses_plain_http_and_names_the_missing_settings_in_one_line(tmp_path):
    result = _sync_run(tmp_path, SYNC_ENDPOINT="http://gemeente.example/events",
                       SYNC_TOKEN_URL="https://gemeente.example/token", SYNC_CLIENT_ID="onsplan")
    assert result.returncode == CONFIG_EXIT
    assert _one_json_line(result)["message"] == (
        "The sync worker does not start: SYNC_CLIENT_SECRET is not set; SYNC_ENDPOINT must be https:// in "
        "production, so that family data and the client secret never travel unencrypted. Set them in the "
        "environment (docs/deploy.md), then start it again.")


def test_plain_http_is_fine_outside_production_and_every_setting_is_needed():
    settings = {"endpoint": "http://127.0.0.1:5001/events", "token_url": "http://127.0.0.1:5001/token",
                "client_id": "onsplan-demo", "client_secret": "demo-sync-secret"}
    assert settings_problems(settings, production=False) == []
    assert settings_problems({}, production=False) == [
        "SYNC_ENDPOINT, SYNC_TOKEN_URL, SYNC_CLIENT_ID and SYNC_CLIENT_SECRET are not set"]
    assert settings_problems(settings, production=True) == [
        "SYNC_ENDPOINT and SYNC_TOKEN_URL must be https:// in production, so that family data and the client secret "
        "never travel unencrypted"]
