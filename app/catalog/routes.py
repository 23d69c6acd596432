"""The Jeugdhulpcatalogus pages: search (public), one offer, one provider, compare up to three offers."""

from flask import Blueprint, Response, g, request, url_for
from werkzeug.datastructures import MultiDict

from app.catalog import services
from app.catalog.forms import SearchForm
from app.catalog.vocab import TEMPLATE_GLOBALS
from app.core.errors import ValidationFailed
from app.extensions import db
from app.web.render import render

bp = Blueprint("catalog", __name__, url_prefix="/catalogus")
for _name, _function in {**TEMPLATE_GLOBALS, "is_stale": services.is_stale}.items():
    bp.add_app_template_global(_function, _name)

FILTERS = ("q", "soort", "leeftijd", "thema", "vorm", "wachttijd", "postcode", "afstand", "taal", "gemeente")


@bp.get("")
def index() -> Response:
    """Search the catalog; an htmx request gets only the results, so the list updates while you type."""
    defaults = services.family_defaults(db.session, person=g.person)
    args = _with_defaults(request.args, defaults)
    form = SearchForm(formdata=args).fill_choices(services.contracting_municipalities(db.session))
    result = services.search_offers(db.session, query=form.query()) if form.validate() else None
    return render("catalog/index.html", block="results", form=form, result=result, args=args,
                  url_with=_url_with(args), filters=[name for name in FILTERS if args.get(name)],
                  status=200 if result is not None else 422)


def _with_defaults(args: MultiDict, defaults: services.FamilyDefaults) -> MultiDict:
    """A signed-in family member's search starts from their municipality and postcode (until they change it)."""
    filled = MultiDict(args)
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
    offer = services.get_offer(db.session, offer_id=offer_id)
    defaults = services.family_defaults(db.session, person=g.person)
    return render("catalog/show.html", offer=offer, defaults=defaults,
                  contracted=services.is_contracted(offer, municipality_id=defaults.municipality_id),
                  municipalities=services.municipality_names(
                      db.session, ids={c.municipality_id for c in offer.provider.contracts}))


@bp.get("/aanbieders/<int:provider_id>")
def provider(provider_id: int) -> Response:
    """One provider: contact, locations, languages, complaints and its offers."""
    found = services.get_provider(db.session, provider_id=provider_id)
    names = services.municipality_names(db.session, ids={c.municipality_id for c in found.contracts}
                                        | {loc.municipality_id for loc in found.locations})
    return render("catalog/provider.html", provider=found, municipalities=names)


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
