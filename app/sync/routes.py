"""Municipality staff: the delivery of events to the backoffice (/beheer/sync): list, inspect, send again."""

import json

from flask import Blueprint, Response, flash, g, request, url_for
from flask_babel import gettext as _

from app.core.errors import ValidationFailed
from app.extensions import db
from app.identity.auth import login_required
from app.sync import services
from app.web.render import render, see_other

bp = Blueprint("sync", __name__, url_prefix="/beheer/sync")


@bp.get("")
@login_required
def index() -> Response:
    """The events per status (the dead ones first): what did not reach the municipality, and why."""
    found = services.overview(db.session, person=g.person, status=request.args.get("status", "dead"))
    db.session.commit()
    return render("sync/index.html", overview=found)


@bp.get("/<int:event_id>")
@login_required
def show(event_id: int) -> Response:
    """One event: its delivery state and the payload as sent (the read is logged)."""
    return _event_page(event_id)


@bp.post("/<int:event_id>/opnieuw")
@login_required
def retry(event_id: int) -> Response:
    """Send a dead event again, from the first attempt."""
    try:
        services.retry_for_staff(db.session, person=g.person, event_id=event_id)
        db.session.commit()
    except ValidationFailed as failed:
        db.session.rollback()
        return _event_page(event_id, errors=[message for _field, message in failed.reasons], status=422)
    flash(_("The event will be sent again."), "success")
    return see_other(url_for("sync.show", event_id=event_id))


def _event_page(event_id: int, errors: list[str] | None = None, status: int = 200) -> Response:
    event = services.event_for_staff(db.session, person=g.person, event_id=event_id)
    db.session.commit()
    payload = json.dumps(event.payload, indent=2, ensure_ascii=False, sort_keys=True)
    return render("sync/show.html", event=event, payload=payload, errors=errors or [], status=status)
