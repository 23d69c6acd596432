"""Compress responses with brotli or gzip for browsers that accept it; never a stream (the live plan's events).

Pages and fragments are compressed per response at a quick level. Static files (CSS, JS, SVG) are compressed once
per process at the strongest level and kept in memory: their URLs carry a content hash and are cached for a year.
Streamed responses (the plan's `text/event-stream`, the PDF and CSV downloads) and file downloads other than our
own static files are left alone, so a live update is never held back in a compressor's buffer.

BREACH (guessing a secret from compressed sizes) needs the victim's browser to send many signed-in requests that
reflect the attacker's text: the session cookie is SameSite=Lax, so cross-site requests carry no session, and the
CSRF token in every page is signed with a timestamp, so it changes every second.
"""

import gzip
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, request
from werkzeug.security import safe_join

try:
    import brotli
except ImportError:  # pragma: no cover - brotli is a dependency; gzip alone still works without it
    brotli = None

COMPRESSIBLE = frozenset({
    "text/html", "text/css", "text/javascript", "application/javascript", "text/plain", "text/csv",
    "application/json", "application/manifest+json", "application/problem+json", "application/fhir+json",
    "application/xml", "image/svg+xml",
})
MIN_SIZE = 512  # below this the headers cost more than compression saves
DYNAMIC_LEVEL = {"br": 4, "gzip": 5}  # quick: a 270 KB plan page costs 1.3 ms (br) to 1.7 ms (gzip)
STATIC_LEVEL = {"br": 11, "gzip": 9}  # once per file and process


def encode(data: bytes, encoding: str, level: int) -> bytes:
    """Compress bytes with "br" or "gzip" at a level."""
    if encoding == "br":
        return brotli.compress(data, quality=level)
    return gzip.compress(data, compresslevel=level, mtime=0)


def accepted_encoding() -> str | None:
    """The best encoding this request accepts: brotli, then gzip, or None."""
    accept = request.accept_encodings
    if brotli is not None and accept["br"] > 0:
        return "br"
    return "gzip" if accept["gzip"] > 0 else None


@lru_cache(maxsize=128)
def _static_encoded(path: str, mtime_ns: int, size: int, encoding: str) -> bytes:
    return encode(Path(path).read_bytes(), encoding, STATIC_LEVEL[encoding])


def static_encoded(folder: str, filename: str, encoding: str) -> bytes | None:
    """A static file compressed at the strongest level, cached per process until the file changes."""
    path = safe_join(folder, filename)
    if path is None:
        return None
    stat = Path(path).stat()
    return _static_encoded(path, stat.st_mtime_ns, stat.st_size, encoding)


def _body(app: Flask, response: Response, encoding: str) -> bytes | None:
    """The compressed body, or None when this response is not to be compressed."""
    if request.endpoint == "static" and response.direct_passthrough:
        return static_encoded(app.static_folder, (request.view_args or {}).get("filename", ""), encoding)
    if response.direct_passthrough or response.is_streamed:
        return None  # a download handed straight to the server, or a stream: left as it is
    data = response.get_data()
    return encode(data, encoding, DYNAMIC_LEVEL[encoding]) if len(data) >= MIN_SIZE else None


def compress_response(app: Flask, response: Response) -> Response:
    """Compress a finished response when the browser accepts it and it is worth it; say it varies by encoding."""
    if response.mimetype not in COMPRESSIBLE or "Content-Encoding" in response.headers:
        return response  # never text/event-stream: not in the list
    if response.is_streamed and not (request.endpoint == "static" and response.direct_passthrough):
        return response  # streams are sent as they come, without Vary either
    response.vary.add("Accept-Encoding")
    encoding = accepted_encoding()
    if encoding is None or response.status_code != 200:
        return response
    body = _body(app, response, encoding)
    if body is None or len(body) >= int(response.headers.get("Content-Length") or len(body) + 1):
        return response
    if response.direct_passthrough:
        if hasattr(response.response, "close"):
            response.response.close()  # the open file of send_file
        response.direct_passthrough = False
        response.headers.pop("Accept-Ranges", None)  # ranges would count in the compressed bytes
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)  # the same content in another encoding
    return response


def install_compression(app: Flask) -> None:
    """Compress pages, fragments and static files for every request that accepts brotli or gzip."""

    @app.after_request
    def _compress(response: Response) -> Response:
        return compress_response(app, response)
