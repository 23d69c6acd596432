"""The deploy guide's environment file is one that both of its readers take as written: a shell
(`set -a; . /etc/onsplan.env`, step 5) and systemd's `EnvironmentFile=` (step 6) get the same settings."""

import json
import re
import subprocess
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def environment_file() -> str:
    """The sh block of step 4 ("Environment (`/etc/onsplan.env`"), without the list's indentation."""
    text = GUIDE.read_text()
    start = text.index("```sh\n", text.index("Environment (`/etc/onsplan.env`")) + len("```sh\n")
    block = text[start:text.index("```", start)]
    return "\n".join(line[3:] if line.startswith("   ") else line for line in block.splitlines()) + "\n"


def as_systemd_reads_it(text: str) -> dict[str, str]:
    """systemd.exec(5), EnvironmentFile=: one KEY=VALUE per line, # comments, a value in matching single or double
    quotes taken without them. Anything else on a line (a second assignment, a space in a bare value) is refused
    here, because systemd would take it into the value."""
    found = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"not an assignment: {line!r}"
        assert KEY.match(key), f"not an assignment: {line!r}"
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        else:
            assert not re.search(r"\s|[<>|&;()$`\\\"']", value), f"quote this value for the shell: {line!r}"
        found[key] = value
    return found


def as_a_shell_reads_it(path: Path, keys: list[str]) -> dict[str, str]:
    show = "import json, os, sys; print(json.dumps({k: os.environ.get(k) for k in sys.argv[1:]}))"
    script = f'set -a; . "{path}"; python3 -c \'{show}\' "$@"'
    done = subprocess.run(["bash", "-c", script, "env", *keys], capture_output=True, text=True, timeout=20,
                          env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return json.loads(done.stdout)


def test_the_environment_file_reads_the_same_in_a_shell_and_in_systemd(tmp_path):
    text = environment_file()
    settings = as_systemd_reads_it(text)
    needed = {"APP_ENV", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SITE_URL", "API_CLIENT_MUNICIPALITIES"}
    assert needed <= set(settings)
    path = tmp_path / "onsplan.env"
    path.write_text(text)
    assert as_a_shell_reads_it(path, list(settings)) == settings
    assert json.loads(settings["API_CLIENT_MUNICIPALITIES"]) == {"backoffice-leeuwarden": ["0080"], "regio": ["*"]}


def test_the_check_refuses_what_broke_the_shell_before():
    for line in ('API_CLIENT_MUNICIPALITIES={"backoffice": ["0080"], "regio": ["*"]}',
                 "OIDC_CITIZENS_ISSUER=…  OIDC_CITIZENS_CLIENT_ID=…",
                 'SECRET_KEY=<64 random bytes, e.g. python3 -c "import secrets">'):
        try:
            as_systemd_reads_it(line)
        except AssertionError:
            continue
        raise AssertionError(f"accepted {line!r}")
