"""The family's own view of the access log: who viewed or changed our data."""

from datetime import date, datetime, time, timedelta

from flask import Blueprint, Response, g, request

from app.audit.pages import group, window
from app.audit.services import family_log
from app.core.clock import AMSTERDAM, today
from app.core.errors import NotFound
from app.extensions import db
from app.identity.access import family_access
from app.identity.auth import login_required
from app.identity.forms import PeriodForm
from app.identity.policy import can_read_access_log
from app.web.render import render

bp = Blueprint("audit", __name__)
EARLIEST = date(2015, 1, 1)  # the Jeugdwet: no youth care in this log is older


@bp.get("/gezinnen/<family_id>/wie-heeft-gekeken")
@login_required
def family_log_page(family_id: str) -> Response:
    """List who viewed or changed the family's data in a period, a page of days at a time, grouped by day and person,
    as far as the age rules let you see."""
    access = family_access(db.session, person=g.person, family_id=family_id)
    if not can_read_access_log(access.actor):
        raise NotFound(family_id)
    form = PeriodForm(request.args)
    form.validate()
    first, last = _period(form)
    for field, day in ((form.start, first), (form.end, last)):
        if not field.errors:  # show the period the list covers (a wrong date stays as typed, with its error)
            field.data, field.raw_data = day.date(), None
    shown = window(first.date(), last.date(), request.args.get("pagina", type=int))
    lines = family_log(db.session, access=access, start=_local(shown.first), end=_local(shown.last + timedelta(days=1)))
    db.session.commit()
    return render("audit/family_log.html", block="log_results", access=access, form=form, days=group(lines),
                  first=first, last=last, shown=shown)


def _period(form: PeriodForm):
    """Return (first, last) local dates: by default the last 30 days, swapped when given the wrong way round, and
    kept between EARLIEST and today (nothing is logged outside them; 0001-01-01 or 9999-12-31 would overflow)."""
    newest = today()
    last = _between(form.end.data or newest, newest)
    first = _between(form.start.data or (last - timedelta(days=30)), newest)
    if first > last:
        first, last = last, first
    return _local(first), _local(last)


def _between(day: date, newest: date) -> date:
    return min(max(day, EARLIEST), newest)


def _local(day):
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM)
