"""docs/deploy.md, followed as written (issue 19, "docs that run"). Its `# Step` shell blocks run in order on this
machine, with only host names, ports and paths changed (STEP_CHANGES): the packages are checked (apt simulates;
nothing is installed), the release is installed into a fresh virtualenv from the lock file, the translations are
compiled before any setting exists, the database role is made without CREATEDB on a PostgreSQL of the test's own,
then the tables and the first functional manager. The environment file is the guide's, with every CHANGE-ME and
host filled in, read as systemd reads it; the two instances run the systemd unit's ExecStart; nginx runs the guide's
site block (TLS, the http→https redirect, its log format). Sign-in is a real OpenID provider on https with a private
CA (the guide's REQUESTS_CA_BUNDLE), mail a server that wants STARTTLS with that CA and a password.

Then, through nginx, on phones in real Chromium: Hiske, the functional manager, redeems the code that the bootstrap
printed and signs in; she adds a gebiedsteam and invites Mark into it (his invitation arrives by mail); Mark signs
in, opens a family and invites Sanne; Sanne signs in and finds her family. nginx's log holds no token, code or id.
"""

import os
import re
import secrets
import shlex
import subprocess
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import PHONE
from tests.browser.journey_steps import say
from tests.browser.test_first_use import open_family_and_invite_a_parent, redeem
from tests.support.guide import as_a_shell_reads_it, as_systemd_reads_it, block, blocks, environment_file
from tests.support.nginx import Nginx
from tests.support.oidc import OidcProvider
from tests.support.servers import ROOT, PostgresServer, _pg_bindir, free_port
from tests.support.smtp import SmtpSink

pytestmark = pytest.mark.postgres  # a PostgreSQL server of its own, where the guide makes its role and database

DB_PASSWORD = "db-" + secrets.token_hex(8)
CODE = re.compile(r"code: ([A-Z0-9]{4}-[A-Z0-9]{4})")


def step_changes(srv: Path, env_file: Path) -> list[tuple[str, str]]:
    """What differs on a test machine, each of which must still be in the guide (or the test no longer follows it)."""
    return [
        ("apt-get install -y ", "apt-get install -s -y "),  # simulated: every package must exist, nothing is installed
        ("adduser --system --group --home /srv/onsplan onsplan", ": no system user on a test machine"),
        ("chown -R onsplan:onsplan /srv/onsplan", ": no system user on a test machine"),
        ("runuser -u postgres -- ", ""),  # the test's own server, as its superuser (PGHOST, PGPORT, PGUSER)
        ("PASSWORD 'CHANGE-ME'", f"PASSWORD '{DB_PASSWORD}'"),
        ("/srv/onsplan", str(srv)),
        ("/etc/onsplan.env", str(env_file)),
    ]


def steps(srv: Path, env_file: Path) -> list[str]:
    found = [body for body in blocks("sh") if body.startswith("# Step")]
    assert [body.split(":")[0] for body in found] == ["# Step 1", "# Step 2", "# Step 5"]
    joined = "\n".join(found)
    for old, _new in step_changes(srv, env_file):
        assert old in joined, f"the guide's steps no longer have {old!r}"
    for old, new in step_changes(srv, env_file):
        found = [body.replace(old, new) for body in found]
    return found


def copy_release(srv: Path) -> None:
    """"Put the release into /srv/onsplan": the files of this checkout that git knows, as a release holds them."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (srv / name).parent.mkdir(parents=True, exist_ok=True)
            (srv / name).write_bytes(source.read_bytes())


def run_step(script: str, env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, f"{script.splitlines()[0]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def filled_environment(overrides: dict[str, str], extra: dict[str, str]) -> str:
    """The guide's environment file with its CHANGE-ME values and hosts filled in, and `extra` lines added as the
    guide says (REQUESTS_CA_BUNDLE for a private CA)."""
    lines = []
    for line in environment_file().splitlines():
        key, sep, value = line.partition("=")
        if sep and key in overrides:
            value = overrides[key]
            line = f"{key}={shlex.quote(value) if re.search(r'[^A-Za-z0-9_./:@+,-]', value) else value}"
        assert line.startswith("#") or "CHANGE-ME" not in line, f"the test does not fill {key} in"
        lines.append(line)
    return "\n".join(lines + [f"{key}={value}" for key, value in extra.items()]) + "\n"


def wait_ready(url: str, folder: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    logs = "\n".join(path.read_text()[-2000:] for path in folder.glob("instance-*.log"))
    raise AssertionError(f"an instance never became ready (exit status {process.poll()}):\n{logs}")


def web_unit() -> dict[str, str]:
    """The settings of the guide's instance unit (onsplan-web@.service)."""
    units = block("ini", "# /etc/systemd/system/onsplan-web@.service").split("\n# /etc/systemd/system/")
    unit = units[0]
    return dict(line.split("=", 1) for line in unit.splitlines() if "=" in line and not line.startswith("#"))


@pytest.fixture(scope="module")
def deployed(tmp_path_factory, redis_server):
    folder = tmp_path_factory.mktemp("deploy")
    srv, env_file = folder / "srv" / "onsplan", folder / "onsplan.env"
    srv.mkdir(parents=True)
    ports = (free_port(), free_port())
    postgres = PostgresServer().start()
    redis_url = redis_server.fresh_url()
    nginx = Nginx(folder, ports, redis_url=redis_server.fresh_url())
    site = nginx.url
    clients = [{"client_id": f"onsplan-{name}", "client_secret": f"{name}-{secrets.token_hex(8)}",
                "redirect_uris": [f"{site}/inloggen/{name}/terug"], "post_logout_redirect_uris": [f"{site}/"],
                "grant_types": ["authorization_code"], "response_types": ["code"]} for name in ("citizens", "staff")]
    provider = OidcProvider(clients, {}, tls=(nginx.certificate, folder / "privkey.pem")).start()
    mail = SmtpSink(nginx.certificate, folder / "privkey.pem", username="onsplan-mail",
                    password="mail-" + secrets.token_hex(8)).start()
    instances: list[subprocess.Popen] = []
    try:
        copy_release(srv)
        shell = {"PATH": f"{_pg_bindir()}:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": str(Path.home()),
                 "LANG": "C.UTF-8", "PGHOST": "127.0.0.1", "PGPORT": str(postgres.port), "PGUSER": "postgres"}
        shell |= {key: value for key, value in os.environ.items() if key.startswith("PIP_")}  # the package index
        overrides = {
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": f"postgresql+psycopg://onsplan:{DB_PASSWORD}@127.0.0.1:{postgres.port}/onsplan",
            "REDIS_URL": redis_url, "SITE_URL": site, "LIVE_NCHAN_URL": nginx.publisher,
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mail.port), "MAIL_USERNAME": "onsplan-mail",
            "MAIL_PASSWORD": mail.password,
            "SYNC_CLIENT_ID": "onsplan-sync", "SYNC_CLIENT_SECRET": secrets.token_hex(8),
        }
        for client, name in zip(clients, ("CITIZENS", "STAFF"), strict=True):
            overrides |= {f"OIDC_{name}_ISSUER": provider.issuer, f"OIDC_{name}_CLIENT_ID": client["client_id"],
                          f"OIDC_{name}_CLIENT_SECRET": client["client_secret"]}
        # the guide: REQUESTS_CA_BUNDLE for the municipality's own CA, after putting it in the system's store (for
        # this test SSL_CERT_FILE stands in for that store: the mail server's certificate is checked against it)
        extra = {"REQUESTS_CA_BUNDLE": str(nginx.certificate), "SSL_CERT_FILE": str(nginx.certificate)}
        env_file.write_text(filled_environment(overrides, extra))
        settings = as_systemd_reads_it(env_file.read_text())
        assert as_a_shell_reads_it(env_file, list(settings)) == settings

        one, two, five = steps(srv, env_file)
        run_step(one, shell, folder)
        run_step(two, shell, folder)
        printed = run_step(five, shell, folder)
        assert "Municipality 0080 Leeuwarden" in printed
        hiske_code = CODE.search(printed).group(1)

        unit = web_unit()
        assert unit["WorkingDirectory"] == "/srv/onsplan"
        assert unit["EnvironmentFile"] == "/etc/onsplan.env"
        for port in ports:
            command = unit["ExecStart"].replace("/srv/onsplan", str(srv)).replace("%i", str(port))
            log = (folder / f"instance-{port}.log").open("wb")
            instances.append(subprocess.Popen(shlex.split(command), cwd=srv, env={**settings, "PATH": shell["PATH"]},
                                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        for port, process in zip(ports, instances, strict=True):
            wait_ready(f"http://127.0.0.1:{port}/readyz", folder, process)
        nginx.start()
        yield {"nginx": nginx, "provider": provider, "mail": mail, "hiske_code": hiske_code, "folder": folder}
    finally:
        for process in instances:
            process.terminate()
            process.wait(30)
        nginx.stop()
        provider.stop()
        mail.stop()
        postgres.stop()


def phone(browser: Browser, site: str) -> Page:
    context = browser.new_context(**PHONE, base_url=site, ignore_https_errors=True)  # the test's own CA
    return context.new_page()


def test_following_the_deploy_guide_a_municipality_starts_using_ons_plan(browser: Browser, deployed):
    nginx, provider, mail = deployed["nginx"], deployed["provider"], deployed["mail"]

    hiske = phone(browser, nginx.url)
    redeem(hiske, deployed["hiske_code"], provider, "hiske-1", "staff")
    expect(hiske.get_by_role("heading", level=1)).to_have_text("Hallo Hiske")
    hiske.get_by_role("link", name=say("nl", "Organisations and staff")).click()
    hiske.get_by_role("link", name=say("nl", "Add an organisation")).click()
    hiske.get_by_label(say("nl", "Name of the organisation")).fill("Gebiedsteam Noord")
    hiske.get_by_label(say("nl", "A team of the municipality (for example a gebiedsteam)"), exact=True).check()
    with hiske.expect_navigation():
        hiske.get_by_role("button", name=say("nl", "Add organisation")).click()
    expect(hiske.get_by_role("heading", level=1)).to_have_text("Gebiedsteam Noord")
    hiske.get_by_role("link", name=say("nl", "Invite someone to work here")).click()
    hiske.get_by_label(say("nl", "youth care professional").capitalize(), exact=True).check()
    hiske.get_by_label(say("nl", "First name")).fill("Mark")
    hiske.get_by_label(say("nl", "Work e-mail address")).fill("mark@leeuwarden.example")
    with hiske.expect_navigation():
        hiske.get_by_role("button", name=say("nl", "Make invitation")).click()
    mark_code = hiske.locator(".invitation-code").inner_text().strip()
    expect(hiske.locator("main")).to_contain_text("mark@leeuwarden.example")  # "we also sent it by e-mail to …"
    invitation = [message for message in mail.messages if message["To"] == "mark@leeuwarden.example"]
    assert len(invitation) == 1
    assert mark_code in invitation[0].get_content()
    assert f"{nginx.url}/uitnodiging/" in invitation[0].get_content()  # the address people use (SITE_URL)
    assert mail.logins == [mail.username]

    mark = phone(browser, nginx.url)
    redeem(mark, mark_code, provider, "mark-1", "staff")
    expect(mark.get_by_role("heading", level=1)).to_have_text("Hallo Mark")
    expect(mark.locator("main")).to_contain_text("Gebiedsteam Noord")
    sanne_code = open_family_and_invite_a_parent(mark)

    sanne = phone(browser, nginx.url)
    redeem(sanne, sanne_code, provider, "sanne-1", "citizens")
    expect(sanne.get_by_role("heading", level=1)).to_have_text("Hallo Sanne")
    expect(sanne.get_by_role("link", name="De Boer-Hoekstra")).to_be_visible()

    # plain http only sends people to https; the log names areas, never a token, a code, a state or an id
    plain = requests.get(f"http://127.0.0.1:{nginx.http_port}/uitnodiging", allow_redirects=False, timeout=5)
    assert (plain.status_code, plain.headers["Location"]) == (301, "https://127.0.0.1/uitnodiging")
    log = (deployed["folder"] / "onsplan.access.log").read_text()
    assert '"area":"/inloggen"' in log
    assert '"area":"/uitnodiging"' in log
    for secret in (deployed["hiske_code"], mark_code, sanne_code, "code=", "state=", "/plan/", "?"):
        assert secret not in log, secret
