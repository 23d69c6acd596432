"""Every id a form or an API body carries is checked against what the sender may see and change, never trusted.

ID_FIELDS has a row for every writing route (an empty row: it takes no ids from the body) with the id-bearing fields
it accepts. Each field is posted by everyone who may use the route, in the working form of the authorization
matrix with the field replaced by another family's id (foreign), an id of this family the sender may not see
(hidden), a made-up id and malformed ones. The answer is 403, 404 or 422 (403 or 404 for someone the route refuses),
never 5xx, and nothing is written. A field marked `ignored` is one the route takes from elsewhere (the signed-in
person, the path, a new random key): the post may be saved, but never with the posted value.

A new writing route, or a form or API body that gains an id-like field, fails here until it has a row.
"""

import functools
import re
import uuid
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from sqlmodel import SQLModel, select
from wtforms.fields.core import UnboundField

import tests.conftest
from app.catalog.models import Provider
from app.complaints import services as complaints
from app.core.clock import today
from app.core.ids import new_id
from app.extensions import db
from app.identity.models import Membership, Person
from app.identity.policy import can_view
from app.plans import services
from app.plans.context import plan_context
from app.plans.models import PlanItem
from tests.api.conftest import api_config, sign
from tests.api.test_catalog import offer, provider
from tests.hostile.test_forms import base_data, csrf_pair, form_fields, signed_in
from tests.identity.test_authorization_matrix import ACTORS, POST, build_world, token

FOREIGN, HIDDEN, MADE_UP, MALFORMED = "foreign", "hidden", "made-up", "malformed"
WRONG = (FOREIGN, HIDDEN, MADE_UP, MALFORMED)
MALFORMED_IDS = ("'; DROP TABLE plan_item; --", "../x", "", "x" * 10_000, "%00", "🐄👨‍👩‍👧")
ID_LIKE = re.compile(r"(_ids?|^id|^about|^about_person|^share|^code)$")  # a field name that carries an id
USABLE = (200, 303, 422)  # the matrix's answers for someone who may use the route
NOT_LOGGED = {"access_log", "access_log_chain"}  # refusals and reads are logged: that is no change


@dataclass(frozen=True)
class Id:
    """One id-bearing field: what it names, and how it is posted."""

    names: str  # youth, member, goal, item, part, staff, provider, code, key (a new random key), external
    path: dict = field(default_factory=dict)  # this field's path values over the matrix's ("{key}": a world id)
    probes: tuple = WRONG
    blank: bool = False  # "" is a real choice here (the whole family, nobody, no goal, me)
    ignored: bool = False  # the route takes this from elsewhere: the post may save, never the posted value
    refused: tuple = ()  # who may use the route elsewhere but must be refused here (403/404)


KEY = Id("key", probes=(MALFORMED,), ignored=True)  # a device's own name for a post: a bad one is replaced

ID_FIELDS = {
    # the routes of the authorization matrix (a PUT says so)
    "/gezinnen/{fam}/uitnodigingen/{inv}/intrekken": {},
    "/gezinnen/{fam}/uitnodigen": {},
    "/toestemming/{fam}/{tom}": {},
    # Lisa (16) keeps sharing only her own items
    "/toestemming/zestien/{fam}": {"share": Id("item")},
    "/plan/{plan}/spreker": {"speaker_id": Id("member", probes=(FOREIGN, MADE_UP, MALFORMED), blank=True)},
    # any youth of the family may be written about; a task's goal must be one the writer sees
    "/plan/{plan}/onderdelen/{kind}": {
        "youth_id": Id("youth", probes=(FOREIGN, MADE_UP, MALFORMED), blank=True),
        "owner_id": Id("member", path={"kind": "action"}, blank=True),
        "goal_id": Id("goal", path={"kind": "action"}, blank=True),
        "reply_to_id": Id("item", path={"kind": "reaction"}),  # a reaction's note: one of this plan the writer sees
        "client_id": KEY,
        "speaker_id": Id("member", ignored=True)},  # the speaker form sent along; the speaker is the session's
    # Tom's own worry may not be moved out of his sight; oma Fenna only ticks her task off (hole 5)
    "/plan/{plan}/onderdelen/{item}/bewerken": {
        "youth_id": Id("youth", path={"item": "{tom_words}"}, blank=True),
        "owner_id": Id("member", path={"item": "{action}"}, blank=True, refused=("fenna",)),
        "goal_id": Id("goal", path={"item": "{action}"}, blank=True, refused=("fenna",)),
        "reply_to_id": Id("item", ignored=True)},  # a reaction stays beside its note: taken from the saved one
    "/plan/{plan}/onderdelen/{action}/klaar": {},
    "/plan/{plan}/onderdelen/{item}/terugzetten/1": {},
    "/plan/{plan}/onderdelen/{tom_item}/zichtbaarheid": {},
    "/plan/{plan}/akkoord-vragen": {},
    # the child view: nothing from the body names anyone (the child is in the path, checked by the service)
    "/plan/{plan}/kind/{noor}/huis/{kind}": {},
    "/plan/{plan}/kind/{noor}/hoe-gaat-het": {},
    # the youth view agrees for the signed-in youth only, and adds own words about them only
    "/plan/{plan}/mijn/akkoord": {
        "goal_id": Id("goal", blank=True), "person_id": Id("member", ignored=True),
        "owner_id": Id("member", ignored=True), "youth_id": Id("youth", ignored=True),
        "reply_to_id": Id("item", ignored=True)},
    "/plan/{plan}/mijn/eigen-woorden": {
        "person_id": Id("member", ignored=True), "owner_id": Id("member", ignored=True),
        "youth_id": Id("youth", ignored=True), "goal_id": Id("goal", ignored=True),
        "reply_to_id": Id("item", ignored=True)},
    "/plan/{plan}/mijn/klaar/{tom_action}": {},
    "/plan/{plan}/mijn/zichtbaarheid/{lisa_item}": {},
    "/plan/{plan}/weergave": {},
    # a statement on the dossier as a whole: about the plan in the path; the item form's other fields are not read
    "/mijn-gegevens/{plan}/verklaring": {
        "owner_id": Id("member", ignored=True), "youth_id": Id("youth", ignored=True),
        "goal_id": Id("goal", ignored=True), "reply_to_id": Id("item", ignored=True)},
    # asking to destroy and deciding on it: the part and the request are in the path, the body holds no id
    "/mijn-gegevens/{plan}/vernietigen/{tom_item}": {},
    "/mijn-gegevens/{plan}/vernietigen": {},
    "/dossierverzoeken/{destruction}": {},
    # agreeing is for yourself (or the speaker at the table): the form's person and the item form's fields,
    # drawn again when it fails, are not read
    "/plan/{plan}/akkoord": {
        "goal_id": Id("goal", blank=True), "person_id": Id("member", ignored=True),
        "speaker_id": Id("member", ignored=True), "owner_id": Id("member", ignored=True),
        "youth_id": Id("youth", ignored=True), "reply_to_id": Id("item", ignored=True)},
    "/meldingen/instellingen": {},
    "/meldingen/alles-gelezen": {},
    "/meldingen/{note}/gelezen": {},
    "/plan/{plan}/onderdelen/{goal}/volgen": {},
    "/catalogus/aanbod/{offer}/kiezen": {"goal_id": Id("goal")},
    "/catalogus/doel/{goal}/bevestigen": {},
    "/beoordelen/{tom_help}": {},
    "/beoordelingen/{rating}/reactie": {},
    "/beoordelingen/{rating}/melden": {},
    "/redactie/{reported_rating}/publiceren": {},
    "/redactie/{rating}/afwijzen": {},
    "/doel/{ended_goal}/resultaat": {},
    "/doel/{ended_goal}/resultaat/correctie": {},
    "/doel/{ended_goal}/resultaat/gesprek": {},
    "/doel/{ended_goal}/resultaat/uitkomst": {},
    "/doel/{ended_goal}/zorg/start": {},
    "/doel/{ended_goal}/zorg/stop": {},
    # the colleague who handles a goal: staff of the goal's provider only (checked by the service)
    "/werk/doel/{ended_goal}/behandelaar": {"handler_id": Id("staff", probes=(FOREIGN, MADE_UP, MALFORMED))},
    # a complaint is about a provider that helped the family, or a person who helped it
    "/klachten/nieuw": {"about": Id("provider", probes=(FOREIGN, MADE_UP, MALFORMED)),
                        "about_person": Id("member", probes=(FOREIGN, MADE_UP, MALFORMED), blank=True),
                        "client_id": KEY},
    "/klachten/{complaint}/berichten": {"part_id": Id("part")},
    "/klachten/{complaint}/bijlagen": {"part_id": Id("part", ignored=True)},  # the page's other forms
    "/klachten/{complaint}/tevreden": {"part_id": Id("part")},
    "/klachten/behandelen/{part}/toewijzen": {"handler_id": Id("staff", probes=(FOREIGN, MADE_UP, MALFORMED))},
    "/klachten/behandelen/{part}/status": {},
    "/klachten/behandelen/{part}/berichten": {"part_id": Id("part", ignored=True)},  # the path's part
    "/klachten/behandelen/{part}/termijn": {},
    "/klachten/behandelen/{part}/oordeel": {},
    "/klachten/behandelen/{part}/afhandelen": {},
    "/klachten/behandelen/{part}/doorsturen": {},
    "/klachten/behandelen/{part}/reactie": {},
    "/beheer/sync/{event}/opnieuw": {},
    # the organisation and the staff role are in the path, checked by the service against what the person manages
    "/beheer/organisaties/nieuw": {},
    "/beheer/organisaties/{org}/uitnodigen": {},
    "/beheer/medewerkers/{staff}/verwijderen": {},
    "/beheer/zoekwoorden": {},  # the catalog search's thesaurus: a text and a note, no ids
    "/gezinnen/nieuw": {},
    "/profiel": {},
    "/taal": {},
    "/uitloggen/overal": {},
    "/uitloggen": {},
    "/uitnodiging": {"code": Id("code", probes=(MADE_UP, MALFORMED))},  # a secret: another family's is valid
    "/uitnodiging/accepteren": {},  # the invitation is the one in the signed session
    "/uitnodiging/accepteren-demo": {},
    "/demo/inloggen/{key}": {},
    # the municipality's API: request ids are the caller's own new UUIDs; providers and offers are created or
    # updated by the municipality's own (external) ids; an offer names a provider of the same put
    "/api/v1/assignments/{reference}/decision": {"request_id": Id("key", probes=(MALFORMED,))},
    "/api/v1/assignments/{reference}/care-start": {"request_id": Id("key", probes=(MALFORMED,))},
    "/api/v1/assignments/{reference}/care-stop": {"request_id": Id("key", probes=(MALFORMED,))},
    "PUT /api/v1/catalog": {"request_id": Id("key", probes=(MALFORMED,)),
                            "offers[].provider_id": Id("provider_ref", probes=(FOREIGN, MADE_UP, MALFORMED)),
                            "providers[].id": Id("external", probes=()), "offers[].id": Id("external", probes=())},
    "/api/v1/{rest}": {},
}

API_BODIES = {  # the working body of each API write
    "/api/v1/assignments/{reference}/decision": lambda: {"decision": "examining", "request_id": str(uuid.uuid4())},
    "/api/v1/assignments/{reference}/care-start": lambda: {"date": today().isoformat(),
                                                           "request_id": str(uuid.uuid4())},
    "/api/v1/assignments/{reference}/care-stop": lambda: {"date": today().isoformat(), "reason": "31",
                                                          "request_id": str(uuid.uuid4())},
    "PUT /api/v1/catalog": lambda: {"providers": [provider(1)], "offers": [offer(1)], "request_id": str(uuid.uuid4())},
}


def method_and_path(route: str) -> tuple[str, str]:
    method, _, path = route.rpartition(" ")
    return method or "POST", path


def personas(route: str, spec: Id) -> list[tuple[str, bool]]:
    """(persona, refused): who may use the route by the matrix, and who must be refused for this field."""
    if route.split(" ")[-1].startswith("/api/"):
        return [("api", False)]
    users = [actor for actor, status in zip(ACTORS, POST[route], strict=True)
             if status in USABLE and (actor != "anon" or status != 303)]  # anon's 303 is "sign in first"
    return [(actor, actor in spec.refused) for actor in users] + [(a, True) for a in spec.refused if a not in users]


SEES_ALL = ("mark",)  # the family's professional: nothing in the family is hidden from him
CASES = [pytest.param(route, name, persona, refused, probe, id=f"{route} {name} {persona} {probe}")
         for route, fields in ID_FIELDS.items() for name, spec in fields.items()
         for persona, refused in personas(route, spec) for probe in spec.probes
         if probe != HIDDEN or (spec.names in ("goal", "item", "youth", "part") and not spec.ignored
                                and persona not in SEES_ALL)]
MALFORMED_CASES = [case for case in CASES if case.values[-1] == MALFORMED]  # PostgreSQL refuses more of these


# --- the world: the authorization matrix's, with another family that has content and complaints of its own


class World:
    """The matrix's world plus another family's youth, parent, goal, worry and complaint, and Sanne's complaint;
    built again after a case that wrote."""

    def __init__(self, build) -> None:
        self.build, self.app = build, None
        self.rebuild()

    def rebuild(self) -> None:
        if self.app is not None:
            with self.app.app_context():
                db.engine.dispose()
        self.app, self.ids, self.values = self.build()
        self.values.update(_more(self.app, self.ids, self.values))


def _more(app, ids, values) -> dict:
    with app.test_request_context(), db.new_session() as session:
        olle = Person(given_name="Olle", family_name="Oar", birthdate=today().replace(year=today().year - 13))
        olga = Person(given_name="Olga", family_name="Oar")
        session.add_all([olle, olga])
        session.flush()
        session.add_all([Membership(family_id=values["other"], person_id=olle.id, role="youth"),
                         Membership(family_id=values["other"], person_id=olga.id, role="parent", has_custody=True)])
        session.flush()
        ctx = plan_context(session, person=session.get(Person, ids["anna"]), plan_id=values["other_plan"])
        me = services.speaker_for(ctx, None)
        goal = services.create_item(session, ctx=ctx, speaker=me, kind="goal", fields={
            "text": "Olle giet wer nei skoalle", "domain": "school", "youth_id": olle.id})
        worry = services.create_item(session, ctx=ctx, speaker=me, kind="worry",
                                     fields={"text": "Olle sliept min", "youth_id": olle.id})
        theirs = complaints.file_complaint(session, person=olga, about=["app"], text="De app docht it net",
                                           client_id="other-family-complaint")
        sanne = session.get(Person, ids["sanne"])
        sannes = complaints.file_complaint(session, person=sanne, about=[f"provider:{values['kompas']}"],
                                           text="Te let", client_id="sanne-complaint-1")
        helped = {p.id for p in complaints.filing_choices(session, person=sanne).providers}
        stranger = session.exec(select(Provider).where(Provider.id.not_in(helped)).order_by(Provider.id)).first()
        tom_words = session.exec(select(PlanItem).where(PlanItem.plan_id == values["plan"], PlanItem.kind == "worry",
                                                        PlanItem.author_id == ids["tom"])).one()
        kompas = session.get(Provider, values["kompas"])
        session.commit()
        return {"other_youth": olle.id, "other_parent": olga.id, "other_goal": goal.id, "other_item": worry.id,
                "other_part": theirs.parts[0].id, "sanne_part": sannes.parts[0].id, "stranger": stranger.id,
                "tom_words": tom_words.id, "kompas_external": kompas.external_id}


def make_world(request, tmp_path_factory, jwks, database: str):
    """The world with the API's keys, on SQLite or PostgreSQL."""

    def build():
        url = "sqlite://" if database == "sqlite" else request.getfixturevalue("postgres").create_database(
            f"i_{uuid.uuid4().hex[:12]}")
        with pytest.MonkeyPatch.context() as patch:  # the matrix builds its app with make_app's defaults
            patch.setattr(tests.conftest, "make_app",
                          functools.partial(tests.conftest.make_app, url, **api_config(jwks.url)))
            return build_world(tmp_path_factory)

    built = World(build)
    built.api_token = lambda: sign(jwks.keys[0])
    return built


@pytest.fixture(scope="module")
def world(request, tmp_path_factory, jwks):
    built = make_world(request, tmp_path_factory, jwks, "sqlite")
    yield built
    with built.app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def world_on_postgresql(request, tmp_path_factory, jwks, postgres):
    """The same world on PostgreSQL (asking for `postgres` here marks its tests `postgres`)."""
    built = make_world(request, tmp_path_factory, jwks, "postgresql")
    yield built
    with built.app.app_context():
        db.engine.dispose()


# --- the wrong ids


def wrong_ids(world: World, spec: Id, persona: str, probe: str) -> list[str]:
    """The values to post for one probe (empty: this family has nothing hidden from this persona)."""
    v = world.values
    if probe == MALFORMED:
        return [value for value in MALFORMED_IDS if value or not spec.blank]
    if probe == MADE_UP:
        return [{"provider": "provider:987654321", "code": "ACDE-FGHJ", "provider_ref": "made-up-provider"}.get(
            spec.names, new_id())]
    if probe == FOREIGN:
        return [{"youth": v["other_youth"], "member": v["other_parent"], "goal": v["other_goal"],
                 "item": v["other_item"], "part": v["other_part"], "staff": world.ids["mark"],
                 "provider": f"provider:{v['stranger']}", "provider_ref": v["kompas_external"]}[spec.names]]
    found = hidden(world, spec.names, persona)
    return [found] if found else []


def hidden(world: World, names: str, persona: str) -> str | None:
    """An id in this family the persona may not see: a goal or item, the young person of a hidden goal, or a part
    of someone else's complaint."""
    if names == "part":
        return world.values["sanne_part"] if persona != "sanne" else world.values["part"]
    with world.app.test_request_context(), db.new_session() as session:
        ctx = plan_context(session, person=session.get(Person, world.ids[persona]), plan_id=world.values["plan"])
        rows = session.exec(select(PlanItem).where(PlanItem.plan_id == ctx.plan.id, PlanItem.deleted_at.is_(None))
                            .order_by(PlanItem.created_at)).all()
        unseen = [item.youth_id if names == "youth" else item.id for item in rows
                  if not can_view(ctx.actor, ctx.policy_item(item)) and (names == "item" or item.kind == "goal")]
        session.rollback()  # the reads stay out of the access log
    return unseen[0] if unseen else None


# --- what the database holds


def snapshot(app) -> dict[str, set]:
    """Every row of every table (but the access log), as text."""
    with app.app_context(), db.engine.connect() as connection:
        return {table.name: {repr(tuple(row)) for row in connection.execute(sa.select(table))}
                for table in SQLModel.metadata.sorted_tables if table.name not in NOT_LOGGED}


def changes(before: dict[str, set], after: dict[str, set]) -> dict[str, set]:
    """The rows added or changed (and, as "-", removed) per table."""
    found = {}
    for name in after:
        added, removed = after[name] - before[name], before[name] - after[name]
        if added or removed:
            found[name] = added | {f"- {row}" for row in removed}
    return found


# --- posting


def post(world: World, route: str, name: str, spec: Id, persona: str, value: str):
    """Post the working form (or API body) with one field replaced by `value`."""
    values = {**world.values, **{key: target.format(**world.values) for key, target in spec.path.items()}}
    method, path = method_and_path(route)
    url = path.format(**values)
    if path.startswith("/api/"):
        body = API_BODIES[route]()
        section, _, key = name.rpartition("[].")
        (body[section][0] if section else body)[key] = value
        return world.app.test_client().open(url, method=method, json=body,
                                            headers={"Authorization": f"Bearer {world.api_token()}"})
    if persona == "anon":
        client = world.app.test_client()
        form_token = token(client)
    else:  # with the world's CSRF secret: the token read once stays valid
        client, form_token = signed_in(world.app, world.ids, world.values, persona), csrf_pair(world.app)[1]
    data = working_form(world, route, values) | {name: value, "csrf_token": form_token}
    return client.post(url, data=data)


def working_form(world: World, route: str, values: dict) -> dict:
    """The matrix's working values; an edit posts only the version it starts from (what is saved stays)."""
    if route.endswith("/bewerken"):
        with world.app.app_context():
            return {"version": str(db.session.get(PlanItem, values["item"]).version)}
    return base_data(route, values)


@pytest.mark.parametrize(("route", "name", "persona", "refused", "probe"), CASES)
def test_a_wrong_id_is_refused_and_never_written(world, route, name, persona, refused, probe):
    refused_and_not_written(world, route, name, persona, refused, probe)


@pytest.mark.parametrize(("route", "name", "persona", "refused", "probe"), MALFORMED_CASES)
def test_a_malformed_id_is_refused_and_never_written_on_postgresql(world_on_postgresql, route, name, persona,
                                                                    refused, probe):
    refused_and_not_written(world_on_postgresql, route, name, persona, refused, probe)


def refused_and_not_written(world: World, route: str, name: str, persona: str, refused: bool, probe: str) -> None:
    """Post the wrong ids; 403/404/422 and no write (an ignored field: the value stored nowhere)."""
    spec = ID_FIELDS[route][name]
    posted = wrong_ids(world, spec, persona, probe)
    assert posted, f"the world has no {probe} {spec.names} for {persona}"
    before = snapshot(world.app)
    answers = [post(world, route, name, spec, persona, value).status_code for value in posted]
    written = changes(before, snapshot(world.app))
    shown = [value[:40] for value in posted]
    assert all(status < 500 for status in answers), f"{answers} for {shown}"
    if spec.ignored:
        stored = [value for value in posted if value and any(value in row for rows in written.values()
                                                             for row in rows)]
        assert not stored, f"the posted {stored} is stored: {written}"
        return
    if written:
        world.rebuild()
    assert not written, f"{answers} for {shown} wrote {written}"
    allowed = {403, 404} if refused else {403, 404, 422}
    assert set(answers) <= allowed, f"{answers} for {shown}"


# --- the table is complete


def writing_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}}


def id_like(names) -> set[str]:
    return {name for name in names if ID_LIKE.search(name)}


def test_every_writing_route_has_a_row(world):
    app, values = world.app, world.values
    adapter = app.url_map.bind("localhost")
    listed = {adapter.match(path.format(**values), method=method)[0]
              for method, path in map(method_and_path, ID_FIELDS)}
    missing = writing_endpoints(app) - listed
    assert not missing, f"writing routes without a row in ID_FIELDS: {sorted(missing)}"
    assert {route for route in POST if route not in ID_FIELDS} <= {"/toestemming/{fam}/{lisa}"}


def test_every_id_field_a_form_reads_has_a_row(world):
    app, values = world.app, world.values
    adapter = app.url_map.bind("localhost")
    for route, fields in ID_FIELDS.items():
        method, path = method_and_path(route)
        endpoint = adapter.match(path.format(**values), method=method)[0]
        unlisted = id_like(form_fields(app.view_functions[endpoint])) - fields.keys()
        assert not unlisted, f"{route} reads {sorted(unlisted)}: add them to ID_FIELDS"
    every_field = {name.rpartition(".")[2] for fields in ID_FIELDS.values() for name in fields}
    for form in all_forms(FlaskForm):
        unlisted = id_like(name for name in dir(form) if isinstance(getattr(form, name, None), UnboundField))
        assert unlisted <= every_field, f"{form.__name__} has {sorted(unlisted - every_field)}: add them"


def test_every_id_field_of_an_api_body_has_a_row(world):
    document = world.app.test_client().get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "requestBody" not in operation:
                continue
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            route = ("" if method == "post" else f"{method.upper()} ") + "/api/v1" + path
            listed = {name.replace("[]", "") for name in ID_FIELDS[route]}
            found = {name for name in body_fields(schema, schemas) if ID_LIKE.search(name.rpartition(".")[2])}
            assert found <= listed, f"{route} takes {sorted(found - listed)}: add them to ID_FIELDS"


def body_fields(schema: dict, schemas: dict, prefix: str = "") -> set[str]:
    """The dotted names of every property of a JSON schema (arrays as their items)."""
    if "$ref" in schema:
        return body_fields(schemas[schema["$ref"].rpartition("/")[2]], schemas, prefix)
    if schema.get("type") == "array":
        return body_fields(schema.get("items", {}), schemas, prefix)
    names = set()
    for name, inner in schema.get("properties", {}).items():
        names |= {prefix + name} | body_fields(inner, schemas, f"{prefix}{name}.")
    return names


def all_forms(cls) -> set:
    return {sub for direct in cls.__subclasses__() for sub in {direct} | all_forms(direct)}
