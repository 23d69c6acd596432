"""The monitor for municipality staff: monthly figures as charts with tables, and the same figures as CSV."""

import csv
import io

from flask import Blueprint, Response, g, request
from flask_babel import format_timedelta
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.identity.auth import login_required
from app.monitor import services
from app.monitor.charts import all_charts, latest
from app.monitor.forms import MonitorForm
from app.web.render import render

bp = Blueprint("monitor", __name__)
bp.add_app_template_global(format_timedelta, "format_timedelta")


def _form() -> tuple[MonitorForm, services.Filters | None]:
    """The filters from the URL, checked against the person's own municipalities (None when they do not fit)."""
    mine = services.staff_municipalities(db.session, g.person)
    form = MonitorForm(formdata=MultiDict(request.args)).fill_choices(mine)
    if not mine:
        return form, services.Filters(*form.months())  # the service refuses
    if request.args.get("gemeente") and request.args["gemeente"] not in {m.cbs_code for m in mine}:
        return form, services.Filters(*form.months(), municipality=request.args["gemeente"])  # the service: 404
    if not form.validate():
        return form, None
    return form, services.Filters(*form.months(), municipality=form.gemeente.data or "", category=form.soort.data)


@bp.get("/monitor")
@login_required
def index() -> Response:
    """Monthly figures per municipality: plans, decisions, results, usefulness, drop-out, complaints, waiting, sync."""
    form, filters = _form()
    if filters is None:
        db.session.commit()
        return render("monitor/index.html", form=form, found=None, charts=[], status=422)
    found = services.monitor(db.session, person=g.person, filters=filters)
    db.session.commit()
    return render("monitor/index.html", form=form, found=found, charts=all_charts(found.figures),
                  latest=latest(found.figures))


@bp.get("/monitor.csv")
@login_required
def export() -> Response:
    """The same figures as CSV (no personal data; suppressed cells are empty)."""
    form, filters = _form()
    if filters is None:
        return Response("; ".join(str(e) for errors in form.errors.values() for e in errors), status=422,
                        mimetype="text/plain")
    found = services.monitor(db.session, person=g.person, filters=filters, export=True)
    db.session.commit()
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(services.csv_rows(found))
    codes = "-".join(m.cbs_code for m in found.municipalities)
    name = f"monitor-{codes}-{filters.first:%Y-%m}-{filters.last:%Y-%m}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
