"""nginx as the deploy guide configures it: the guide's own site block, moved to loopback ports, with a throwaway
certificate and the logs in a folder of the test's."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

from tests.support.guide import block
from tests.support.servers import free_port, wait_for_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
GUIDE_UPSTREAMS = ("127.0.0.1:8001", "127.0.0.1:8002")
GUIDE_PUBLISHER = "127.0.0.1:8010"  # nchan's publisher (LIVE_NCHAN_URL)
GUIDE_NCHAN_REDIS = "redis://127.0.0.1:6379/1"
NCHAN_MODULE = "/usr/lib/nginx/modules/ngx_nchan_module.so"


def make_certificate(folder: Path) -> Path:
    """A self-signed certificate for 127.0.0.1 (the guide's `fullchain.pem` and `privkey.pem`); return its file,
    which is also the CA that clients trust."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=onsplan",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
                   check=True, capture_output=True, timeout=60)
    return folder / "fullchain.pem"


def site_from_guide(folder: Path, upstream_ports: tuple[int, int], http_port: int, https_port: int,
                    publisher_port: int, redis_url: str) -> str:
    """The guide's nginx block with only its addresses and paths changed; fails when the guide no longer has them."""
    site = block("nginx", "# /etc/nginx/sites-available/onsplan")
    changes = [*((guide, f"127.0.0.1:{port}") for guide, port in zip(GUIDE_UPSTREAMS, upstream_ports, strict=True)),
               ("listen 80;", f"listen 127.0.0.1:{http_port};"),
               ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
               (f"listen {GUIDE_PUBLISHER};", f"listen 127.0.0.1:{publisher_port};"),
               (GUIDE_NCHAN_REDIS, redis_url),
               ("/etc/ssl/onsplan/", f"{folder}/"), ("/var/log/nginx/", f"{folder}/")]
    for old, new in changes:
        assert old in site, f"the guide's nginx block no longer has {old!r}"
        site = site.replace(old, new)
    return site


class Nginx:
    """One nginx (master and one worker) in front of two app instances, holding open plan pages (nchan) on the
    Redis of `redis_url`."""

    def __init__(self, folder: Path, upstream_ports: tuple[int, int], *, redis_url: str, workers: int = 1,
                 connections: int = 1024) -> None:
        self.folder = folder
        self.http_port, self.https_port, self.publisher_port = free_port(), free_port(), free_port()
        self.certificate = make_certificate(folder)
        temps = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        for temp in temps:
            (folder / temp).mkdir(exist_ok=True)
        (folder / "onsplan.conf").write_text(site_from_guide(folder, upstream_ports, self.http_port, self.https_port,
                                                             self.publisher_port, redis_url))
        user = "user root root;\n" if os.geteuid() == 0 else ""  # the workers write the test's temp folders
        temp_paths = "".join(f"  {temp}_temp_path {folder / temp};\n" for temp in temps)
        self.conf = folder / "nginx.conf"
        limits = f"worker_rlimit_nofile {connections * 2 + 100};\n" if connections > 1024 else ""
        self.conf.write_text(f"load_module {NCHAN_MODULE};\n{user}worker_processes {workers};\n{limits}"
                             f"pid {folder / 'nginx.pid'};\nerror_log {folder / 'main.error.log'} warn;\n"
                             f"events {{ worker_connections {connections}; }}\n"
                             f"http {{\n  include /etc/nginx/mime.types;\n{temp_paths}"
                             f"  include {folder / 'onsplan.conf'};\n}}\n")
        self.process: subprocess.Popen | None = None

    @property
    def publisher(self) -> str:
        """The app's LIVE_NCHAN_URL for this nginx."""
        return f"http://127.0.0.1:{self.publisher_port}/_live/pub/"

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def check(self) -> subprocess.CompletedProcess:
        """`nginx -t`: the configuration is valid."""
        return subprocess.run([NGINX, "-t", "-q", "-c", str(self.conf), "-e", str(self.folder / "check.log")],
                              capture_output=True, text=True, timeout=30)

    def start(self) -> "Nginx":
        checked = self.check()
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen([NGINX, "-c", str(self.conf), "-e", str(self.folder / "startup.log"),
                                         "-g", "daemon off;"], start_new_session=True)
        wait_for_port(self.https_port)
        wait_for_port(self.http_port)
        return self

    def access_log(self) -> list[dict]:
        """The access log's lines (the guide's JSON format), read as JSON."""
        path = self.folder / "onsplan.access.log"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # finish what is in hand, then stop
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
