"""The Jeugdhulpcatalogus pages: search (public), one offer, one provider, compare up to three offers."""

from flask import Blueprint, Response, abort, g, request, session, url_for
from werkzeug.datastructures import MultiDict

from app.catalog import assignments, hooks, services
from app.catalog.forms import ConfirmForm, SearchForm
from app.catalog.vocab import TEMPLATE_GLOBALS
from app.core.errors import ValidationFailed
from app.extensions import db
from app.identity.auth import login_required
from app.web.render import render, see_other, tell, triggered_by

bp = Blueprint("catalog", __name__, url_prefix="/catalogus")
for _name, _function in {**TEMPLATE_GLOBALS, "is_stale": services.is_stale}.items():
    bp.add_app_template_global(_function, _name)

GOAL_KEY = "catalog_goal"  # the goal someone opened the catalog from: an opaque id in the signed session
FILTERS = ("q", "soort", "leeftijd", "thema", "vorm", "wachttijd", "postcode", "afstand", "taal", "gemeente")


@bp.get("")
def index() -> Response:
    """Search the catalog; an htmx request gets only the results, so the list updates while you type."""
    choice = _goal_choice()
    defaults = _defaults(choice)
    args = _with_defaults(request.args, defaults, choice)
    form = SearchForm(formdata=args).fill_choices(services.contracting_municipalities(db.session))
    result = services.search_offers(db.session, query=form.query()) if form.validate() else None
    contacts = services.professional_contacts(db.session, person=g.person, family_id=defaults.family_id) if (
        result is not None and result.total == 0) else []
    db.session.commit()
    return render("catalog/index.html", block="results", form=form, result=result, args=args, choice=choice,
                  contacts=contacts,
                  url_with=_url_with(args), filters=[name for name in FILTERS if args.get(name)],
                  paged=triggered_by("pager-prev", "pager-next"), status=200 if result is not None else 422)


def _defaults(choice: assignments.GoalChoice | None) -> services.FamilyDefaults:
    return services.family_defaults(db.session, person=g.person, family=choice.ctx.access.family if choice else None)


def _with_defaults(args: MultiDict, defaults: services.FamilyDefaults,
                   choice: assignments.GoalChoice | None = None) -> MultiDict:
    """A signed-in family member's search starts from their municipality and postcode (until they change it),
    and, for a goal about a young person, from that person's age."""
    filled = MultiDict(args)
    filled.poplist("doel")
    if choice is not None and choice.youth_age is not None and "leeftijd" not in args:
        filled["leeftijd"] = str(choice.youth_age)
    if defaults.municipality and "gemeente" not in args:
        filled["gemeente"] = defaults.municipality
    if defaults.postcode and "postcode" not in args:
        filled["postcode"] = defaults.postcode
    return filled


def _url_with(args: MultiDict):
    def url_with(**changes) -> str:
        values = MultiDict(args)
        for key, value in changes.items():
            values.poplist(key)
            if value not in (None, ""):
                values[key] = value
        values.poplist("lang")
        if "pagina" not in changes:
            values.poplist("pagina")
        return url_for("catalog.index", **values.to_dict(flat=False))

    return url_with


@bp.get("/aanbod/<int:offer_id>")
def show(offer_id: int) -> Response:
    """One offer: what it is, for whom, the waiting time and how fresh it is, and how to complain."""
    return _offer_page(offer_id, _goal_choice())


def _offer_page(offer_id: int, choice: assignments.GoalChoice | None, errors: list[str] = (),
                status: int = 200) -> Response:
    offer = services.get_offer(db.session, offer_id=offer_id)
    defaults = _defaults(choice)
    figures = hooks.offer_figures(db.session, offer_id=offer.id)
    db.session.commit()
    return render("catalog/show.html", offer=offer, defaults=defaults, choice=choice, choose_errors=errors,
                  figures=figures,
                  contracted=services.is_contracted(offer, municipality_id=defaults.municipality_id),
                  municipalities=services.municipality_names(
                      db.session, ids={c.municipality_id for c in offer.provider.contracts}), status=status)


@bp.get("/aanbieders/<int:provider_id>")
def provider(provider_id: int) -> Response:
    """One provider: contact, locations, languages, complaints and its offers."""
    found = services.get_provider(db.session, provider_id=provider_id)
    names = services.municipality_names(db.session, ids={c.municipality_id for c in found.contracts}
                                        | {loc.municipality_id for loc in found.locations})
    return render("catalog/provider.html", provider=found, municipalities=names,
                  figures=hooks.provider_figures(db.session, provider_id=found.id))


@bp.get("/vergelijken")
def compare() -> Response:
    """Up to three offers side by side; a fourth is refused with a message and the choice to untick one."""
    chosen = request.args.getlist("aanbod")
    try:
        offers = services.compare_offers(db.session, offer_ids=chosen)
    except ValidationFailed as failed:
        return render("catalog/compare.html", offers=[], chosen=services.chosen_offers(db.session, offer_ids=chosen),
                      errors=[message for _field, message in failed.reasons], status=422)
    return render("catalog/compare.html", offers=offers, chosen=offers, errors=[])


def _goal_choice() -> assignments.GoalChoice | None:
    """The goal this person is finding help for (remembered in the session, checked again on every request)."""
    if "doel" in request.args:
        session.pop(GOAL_KEY, None)
        if request.args["doel"] and g.person is not None:
            session[GOAL_KEY] = request.args["doel"][:20]
    goal_id = session.get(GOAL_KEY)
    if not goal_id or g.person is None:
        return None
    choice = assignments.goal_choice(db.session, person=g.person, goal_id=goal_id)
    if choice is None:
        session.pop(GOAL_KEY, None)
    return choice


@bp.post("/aanbod/<int:offer_id>/kiezen")
@login_required
def choose(offer_id: int) -> Response:
    """Choose this offer for a goal (a family member whose consent the goal needs); the professional confirms."""
    choice = assignments.goal_choice(db.session, person=g.person, goal_id=request.form.get("goal_id", ""))
    if choice is None:
        abort(404)
    try:
        assignments.choose_offer(db.session, ctx=choice.ctx, goal_id=choice.goal.id, offer_id=offer_id)
        db.session.commit()
    except ValidationFailed as failed:
        db.session.rollback()
        return _offer_page(offer_id, choice, errors=[message for _field, message in failed.reasons], status=422)
    session.pop(GOAL_KEY, None)
    return see_other(url_for("plans.show", plan_id=choice.ctx.plan.id) + f"#help-{choice.goal.id}")


@bp.get("/doel/<goal_id>/hulp")
@login_required
def goal_help(goal_id: str) -> Response:
    """The help of one goal and where its result stands, as the plan page shows it (its live update fetches this);
    the header's count of new notifications is told to fetch itself too (the municipality's answer notifies)."""
    choice = assignments.goal_choice(db.session, person=g.person, goal_id=goal_id)
    if choice is None:
        abort(404)
    help_ = assignments.latest_per_goal(choice.ctx.assignments).get(goal_id)
    response = render("catalog/_goal_help.html", ctx=choice.ctx, goal=choice.goal, a=help_,
                      can_choose=choice.may_choose, names=choice.ctx.names)
    db.session.commit()
    return tell(response, "notifications-changed")


@bp.route("/doel/<goal_id>/bevestigen", methods=["GET", "POST"])
@login_required
def confirm(goal_id: str) -> Response:
    """The jeugdprofessional confirms the family's choice: the request for an assignment goes to the municipality."""
    choice = assignments.goal_choice(db.session, person=g.person, goal_id=goal_id)
    if choice is None:
        abort(404)
    if choice.ctx.actor.role.value != "professional":
        abort(403)
    assignment = assignments.active_for_goal(db.session, goal_id=goal_id)
    if assignment is None or assignment.status != "chosen":
        return see_other(url_for("plans.show", plan_id=choice.ctx.plan.id) + f"#help-{goal_id}")
    form = ConfirmForm()
    if request.method == "POST" and form.validate():
        try:
            assignments.confirm(db.session, ctx=choice.ctx, goal_id=goal_id, requested_start=form.requested_start.data)
            db.session.commit()
            return see_other(url_for("plans.show", plan_id=choice.ctx.plan.id) + f"#help-{goal_id}")
        except ValidationFailed as failed:
            db.session.rollback()
            form.apply_errors(failed.reasons)
    db.session.commit()
    return render("catalog/confirm.html", choice=choice, assignment=assignment, form=form,
                  names={p.id: p.name for p in choice.ctx.people.values()},
                  status=422 if request.method == "POST" else 200)
