"""The one place that reads htmx's request headers and picks page or fragment."""

from flask import Response, make_response, redirect, render_template
from jinja2_fragments.flask import render_block

from app.extensions import htmx


def is_partial() -> bool:
    """Return True for an htmx request that wants a fragment, not a whole page."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(template: str, *, block: str | None = None, status: int = 200, **context) -> Response:
    """Render the whole page, or only `block` for an htmx partial request."""
    partial = block is not None and is_partial()
    body = render_block(template, block, **context) if partial else render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def see_other(location: str) -> Response:
    """Go on to another page after a form: htmx would follow a 303 and swap the whole page into the form."""
    if is_partial():
        return Response(status=204, headers={"HX-Redirect": location})
    return redirect(location, code=303)


def htmx_target_alerts(response: Response) -> Response:
    """Send an error answer to the page's alert region so the form keeps what was typed."""
    if htmx:
        response.headers["HX-Retarget"] = "#alerts"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def retarget(response: Response, selector: str, swap: str = "outerHTML") -> Response:
    """For htmx: put this (error) answer somewhere else than the request's target."""
    if htmx:
        response.headers["HX-Retarget"] = selector
        response.headers["HX-Reswap"] = swap
    return response
