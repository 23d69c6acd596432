"""Taking the plan along: a page to print from the browser, a PDF, and FHIR JSON for another system."""

import json

from flask import Blueprint, Response, g
from flask_babel import get_locale

from app.core.clock import today
from app.export import services as export
from app.extensions import db
from app.identity.auth import login_required
from app.plans.context import plan_context
from app.web.render import render

bp = Blueprint("export", __name__, url_prefix="/plan")


@bp.get("/<plan_id>/afdrukken")
@login_required
def show(plan_id: str) -> Response:
    """Show the plan as a page to print, with only what this person may see."""
    ctx = plan_context(db.session, person=g.person, plan_id=plan_id)
    plan_view = export.printable(db.session, ctx=ctx, channel="print")
    db.session.commit()
    return render("export/print_page.html", pv=plan_view, printed_on=today())


@bp.get("/<plan_id>/plan.pdf")
@login_required
def pdf(plan_id: str) -> Response:
    """Download the plan as a PDF in this person's language."""
    ctx = plan_context(db.session, person=g.person, plan_id=plan_id)
    body = export.pdf(db.session, ctx=ctx, language=str(get_locale()))
    db.session.commit()
    # No family data in the file name: it ends up in download folders and browser histories.
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": 'attachment; filename="gezinsplan.pdf"', "Cache-Control": "no-store"})


@bp.get("/<plan_id>/plan.fhir.json")
@login_required
def fhir(plan_id: str) -> Response:
    """Download the plan as a FHIR R4 Bundle (CarePlan, Goals, CareTeam)."""
    ctx = plan_context(db.session, person=g.person, plan_id=plan_id)
    bundle = export.fhir_bundle(db.session, ctx=ctx)
    db.session.commit()
    return Response(json.dumps(bundle, ensure_ascii=False), mimetype="application/fhir+json",
                    headers={"Cache-Control": "no-store"})
