"""The installable shell: manifest, service worker and versioned static assets."""

import hashlib
from functools import cache
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

THEME_COLOUR = "#0b5d66"
BACKGROUND_COLOUR = "#f7f5f0"
SHELL_ASSETS = (
    "css/app.css",
    "js/app.js",
    "js/offline.js",
    "vendor/htmx-2.0.11.min.js",
    "vendor/htmx-ext-sse-2.2.4.min.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/icon-maskable-512.png",
    "icons/icon.svg",
)


def _static_dir() -> Path:
    return Path(current_app.static_folder)


@cache
def _file_hash(path: str) -> str:
    return hashlib.sha256(path_bytes(path)).hexdigest()[:10]


def path_bytes(path: str) -> bytes:
    """Read a file below app/static."""
    return (Path(__file__).resolve().parent.parent / "static" / path).read_bytes()


def asset_url(path: str) -> str:
    """Return the URL of a static file with its content hash, so it can be cached for a year."""
    from flask import url_for

    return url_for("static", filename=path, v=_file_hash(path))


def app_name(language: str) -> str:
    """Return the app's name in a language (Frysk: Ús Plan)."""
    with force_locale(language):
        return _("Ons Plan")


def manifest(language: str) -> dict:
    """Describe the app for installation, in the given language."""
    with force_locale(language):
        description = _("Write one plan together with your family and your youth care professional.")
        name = _("Ons Plan")
    icon = "static/icons/"
    return {
        "id": "/",
        "name": name,
        "short_name": name,
        "description": description,
        "lang": language,
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "categories": ["health", "lifestyle"],
        "icons": [
            {"src": f"/{icon}icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": f"/{icon}icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": f"/{icon}icon-maskable-512.png", "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }


def service_worker_source() -> str:
    """Render the service worker with the list of shell files and a version that changes with them."""
    assets = [asset_url(path) for path in SHELL_ASSETS]
    offline = {lang: f"/offline?lang={lang}" for lang in current_app.config["LANGUAGES"]}
    version = hashlib.sha256("".join(assets).encode()).hexdigest()[:12]
    return render_template("web/service-worker.js", assets=assets, offline=offline, version=version)
