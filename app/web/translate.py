"""`flask translate extract|update|compile|init`: keep the nl, fy and en catalogs in step."""

import subprocess
import sys
from pathlib import Path

import click
from flask import Blueprint

ROOT = Path(__file__).resolve().parent.parent.parent
POT = ROOT / "translations" / "messages.pot"

cli = Blueprint("translate_cli", __name__, cli_group="translate")


def _pybabel(*args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT)
    if result.returncode != 0:
        raise click.ClickException(f"pybabel {args[0]} failed")


@cli.cli.command("extract")
def extract() -> None:
    """Collect the translatable strings into translations/messages.pot."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output",
             "-o", str(POT), "app")


@cli.cli.command("update")
def update() -> None:
    """Extract, then merge new strings into every language's catalog."""
    extract.callback()
    _pybabel("update", "-i", str(POT), "-d", "translations", "--no-fuzzy-matching")


@cli.cli.command("compile")
def compile_() -> None:
    """Compile the catalogs (.po → .mo); refuses fuzzy entries."""
    _pybabel("compile", "-d", "translations", "--statistics")


@cli.cli.command("init")
@click.argument("language")
def init(language: str) -> None:
    """Start a catalog for a new language."""
    _pybabel("init", "-i", str(POT), "-d", "translations", "-l", language)
