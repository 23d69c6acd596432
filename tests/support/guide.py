"""The deploy guide's code blocks as a reader copies them: `docs/deploy.md` is tested by running what it says."""

import re
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
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
