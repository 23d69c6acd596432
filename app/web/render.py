"""The one place that reads htmx's request headers and picks page or fragment."""

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from flask import Flask, Response, flash, make_response, redirect, render_template, request
from jinja2_fragments.flask import render_block

from app.extensions import htmx
from app.web.i18n import valid_language

REDIRECTS = (301, 302, 303, 307, 308)


def is_partial() -> bool:
    """Return True for an htmx request that wants a fragment, not a whole page."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(template: str, *, block: str | None = None, status: int = 200, **context) -> Response:
    """Render the whole page, or only `block` for an htmx partial request (with `in_fragment` true).

    `in_fragment` lets a block pick its heading levels: alone in a plan section they sit lower than under the
    page's own h1.
    """
    partial = block is not None and is_partial()
    if partial:
        body = render_block(template, block, in_fragment=True, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def aimed_at(element_id: str) -> bool:
    """True when htmx asked for this answer to replace `element_id`, the part the person is working in (a Save or
    Cancel in an item's editor): the answer may then say where focus goes (`autofocus`). A live update or a change
    sent later from the offline queue names no target (HX-Target), and must never move anyone's focus."""
    return bool(htmx) and htmx.target == element_id


def triggered_by(*element_ids: str) -> bool:
    """True when htmx sent this request for one of these elements (HX-Trigger names the element that was used)."""
    return bool(htmx) and htmx.trigger in element_ids


def respond(redirect_to: str, fragment: Callable[[], Response], *, saved: str | None = None) -> Response:
    """Answer a form that was saved: for htmx the part of the page that changed (`fragment`, made only then);
    otherwise Post/Redirect/Get to `redirect_to`, where the next page shows `saved` as its message."""
    if is_partial():
        return fragment()
    if saved:
        flash(saved, "success")
    return see_other(redirect_to)


def see_other(location: str) -> Response:
    """Go on to another page after a form (303; an htmx request gets HX-Redirect, see `install_redirects`)."""
    return redirect(location, code=303)


def install_redirects(app: Flask) -> None:
    """Make every redirect a real navigation that keeps the page's `?lang=`.

    htmx follows a 303 itself and swaps the whole next page into the form (two <main>, duplicate ids, the old
    address): an htmx request gets 204 with HX-Redirect instead, so the browser goes to the next page. Without
    JavaScript the 303 stays. A page opened with `?lang=` sends it on, so the next page speaks the same language.
    """

    @app.after_request
    def _redirects(response: Response) -> Response:
        if response.status_code not in REDIRECTS or not response.location:
            return response
        response.vary.add("HX-Request")
        location = keep_language(response.location)
        if is_partial():
            response.status_code = 204
            response.set_data(b"")
            del response.headers["Location"]
            response.headers["HX-Redirect"] = location
            if _same_page(location):  # only the #anchor differs: setting the address alone would not reload
                response.headers["HX-Refresh"] = "true"
        else:
            response.location = location
        return response


def keep_language(location: str) -> str:
    """Add this request's `?lang=` to a same-site location that names no language of its own."""
    language = valid_language(request.args.get("lang"))
    parts = urlsplit(location)
    if not language or parts.scheme or parts.netloc or not location.startswith("/") \
            or "lang" in parse_qs(parts.query):
        return location
    query = f"{parts.query}&lang={language}" if parts.query else f"lang={language}"
    return parts._replace(query=query).geturl()


def _same_page(location: str) -> bool:
    here, there = urlsplit(htmx.current_url or ""), urlsplit(location)
    return bool(there.fragment) and (here.path, here.query) == (there.path, there.query)


def htmx_target_alerts(response: Response) -> Response:
    """Send an error answer to the page's alert region so the form keeps what was typed."""
    if htmx:
        response.headers["HX-Retarget"] = "#alerts"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def tell(response: Response, *events: str) -> Response:
    """For htmx: say what else on the page this answer changed (HX-Trigger), so each part that shows it (listening
    with `hx-trigger="<event> from:body"`) fetches itself."""
    if htmx:
        response.headers["HX-Trigger"] = ", ".join(events)
    return response


def retarget(response: Response, selector: str, swap: str = "outerHTML") -> Response:
    """For htmx: put this (error) answer somewhere else than the request's target."""
    if htmx:
        response.headers["HX-Retarget"] = selector
        response.headers["HX-Reswap"] = swap
    return response
