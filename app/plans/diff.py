"""Readable differences between two versions of an item: per field, word by word."""

import difflib
import re
from datetime import date

from flask_babel import format_date

from app.plans.labels import domain_label

SHOWN_FIELDS = ("text", "result", "domain", "due_date", "helpers", "owner_id", "youth_id", "is_done")
TOKEN = re.compile(r"\s+|[^\s]+")


def diff_fields(before: dict, after: dict, names: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    """The fields that differ, as (name, old, new) texts in words people read (names, dates, life domains);
    for a first version, every filled field."""
    changed = []
    for name in SHOWN_FIELDS:
        old, new = before.get(name), after.get(name)
        if old != new and (old not in (None, "") or new not in (None, "")):
            changed.append((name, _text(name, old, names or {}), _text(name, new, names or {})))
    return changed


def _text(name: str, value, names: dict[str, str]) -> str:
    if value is None or value == "":
        return ""
    if value is True:
        return "✓"
    if value is False:
        return "—"
    if name in ("owner_id", "youth_id"):
        return names.get(value, "?")  # someone who left the family: never their id
    if name == "domain":
        return domain_label(value)
    if name == "due_date":
        return format_date(date.fromisoformat(str(value)), "long")
    return str(value)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Return (op, text) pieces with op 'same', 'del' or 'ins', so a template can mark them."""
    a, b = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("ins", "".join(b[j1:j2])))
    return pieces
