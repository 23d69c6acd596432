"""The deploy guide's code blocks as a reader copies them: `docs/deploy.md` is tested by running what it says."""

import json
import re
import subprocess
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
BLOCK = re.compile(r"^(?P<indent> *)```(?P<lang>\w+)\n(?P<body>.*?)^(?P=indent)```$", re.M | re.S)


def blocks(lang: str, text: str | None = None) -> list[str]:
    """Every fenced block of one language, in order, without the indentation of the list it is in."""
    found = []
    for match in BLOCK.finditer(GUIDE.read_text() if text is None else text):
        if match["lang"] == lang:
            indent = len(match["indent"])
            found.append("".join(line[indent:] if line[:indent].isspace() else line
                                 for line in match["body"].splitlines(keepends=True)))
    return found


def block(lang: str, first_line: str) -> str:
    """The one block of a language whose first line starts with `first_line` (its title comment)."""
    chosen = [body for body in blocks(lang) if body.startswith(first_line)]
    assert len(chosen) == 1, f"{len(chosen)} {lang} blocks start with {first_line!r} in {GUIDE.name}"
    return chosen[0]


def environment_file() -> str:
    """The environment file of step 4 (`/etc/onsplan.env`)."""
    return block("sh", "# /etc/onsplan.env")


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
