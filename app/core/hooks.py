"""Questions a package asks of a feature above it, answered without importing it.

A package that needs such an answer makes one `Questions` in its own `hooks.py` and names each question there with
a small function; the app factory installs the answering features' functions when the app is made
(`_install_hooks` in `app/__init__.py`), so the import graph points one way only.
"""

from collections.abc import Callable
from typing import Any


class Questions:
    """The answers one package's questions get, installed when the app is made."""

    def __init__(self) -> None:
        self._answers: dict[str, Any] = {}

    def install(self, answers: dict[str, Any]) -> None:
        """Take the functions (or values) that answer the questions (the app factory calls this)."""
        self._answers.update(answers)

    def __call__(self, question: str) -> Callable | Any:
        if question not in self._answers:
            raise RuntimeError(f"nothing answers {question!r}: create the app first (app.create_app installs it)")
        return self._answers[question]
