"""Hypothesis-generated posts against every browser form: hostile values, missing and extra fields, never a 5xx.

Every POST route of the web app (everything but /api/v1) is posted to by someone who may use it, with the ids of
the demo world of the authorization matrix and a valid CSRF token, on SQLite and on PostgreSQL. Each post starts
from a filled-in form (the matrix's working values, the choices the pages offer) and replaces, drops or adds
fields: script tags, SQL, Frysk, emoji, huge strings, NUL bytes, impossible dates, numbers as text, several values
for one field, files that are not what they say, and a `next` dressed up to lead to another site (a redirect
must stay on this one).
"""

import functools
import inspect
import io
import re
import time
import uuid
from html import unescape

import pytest
from flask_babel import force_locale
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.routing import RequestRedirect
from wtforms import DateField, IntegerField
from wtforms.fields.core import UnboundField

import tests.conftest
from app.core.clock import today
from app.extensions import db
from app.identity.models import Person
from app.web.errors import CSRF_MESSAGE
from tests.identity.test_authorization_matrix import ACTORS, GET, POST, POST_DATA, ROUTE_DATA, build_world, token
from tests.support.redirects import REDIRECT_TARGETS, lands_on

FORM_ROUTES = [route for route in POST if not route.startswith("/api/v1")]
USABLE = (200, 303, 422)  # the matrix's answers for someone who may use the form (not 403/404)
DROP = object()  # a field left out of the post
DOCUMENT = re.compile(r"\.(pdf|json|csv|js|webmanifest|ico|png|txt)$|/live$")  # not a page: a file or the stream

HOSTILE = [
    "", " ", "\x00", "a\x00b", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE person; --", "' OR '1'='1", "Robert'); DELETE FROM plan_item;--", "%00", "../../etc/passwd",
    "Ús plan: de dôchter wol nei hûs, it giet goed mei de sûnens, wêr is heit? Âlde sêne ûnder de beam.",
    "👨‍👩‍👧‍👦🔥💥", "\u202egnp.exe", "\r\n\r\nSet-Cookie: x=1", "31-02-2026", "2026-02-31", "0000-00-00",
    "9999-12-31", "2026-13-01", "-1", "0", "1e309", "NaN", "Infinity", "99999999999999999999999", "1.5", "true",
    "null", "[]", "{}", "None", "é" * 5_000, "x" * 200_000,
]
NAMES = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request, tmp_path_factory):
    """The authorization matrix's world (the demo family and plan, another family, an invitation, a complaint with
    a file, a published rating, an outbox event), on SQLite and on PostgreSQL, which refuses what SQLite lets
    through (a NUL character, a value longer than its column)."""
    build = build_world
    if request.param == "sqlite":
        built = build(tmp_path_factory)
    else:
        url = request.getfixturevalue("postgres").create_database(f"h_{uuid.uuid4().hex[:12]}")
        with pytest.MonkeyPatch.context() as patch:  # the matrix builds its app with make_app's default database
            patch.setattr(tests.conftest, "make_app", functools.partial(tests.conftest.make_app, url))
            built = build(tmp_path_factory)
    yield built
    with built[0].app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def choices(world) -> dict[str, list[str]]:
    """The values the world's pages offer per field name."""
    return page_choices(*world)


def hostile_values(name: str = "") -> st.SearchStrategy:
    """One field's value: a known-nasty string, random text, or several values at once; for a field named `next`
    (where to go back to) also the ways to dress up another site as a path."""
    nasty = [*HOSTILE, *REDIRECT_TARGETS] if name == "next" else HOSTILE
    one = st.one_of(st.sampled_from(nasty), st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
                    st.integers().map(str), st.dates().map(lambda d: d.strftime("%d-%m-%Y")))
    if name == "next":
        one = st.one_of(st.sampled_from(REDIRECT_TARGETS), one)
    return st.one_of(one, one, st.lists(one, min_size=2, max_size=3))


def files() -> st.SearchStrategy:
    """An upload that is not what it says: random bytes under a hostile name and type."""
    magic = st.sampled_from([b"", b"%PDF-1.4\n", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"<svg>"])
    return st.builds(lambda head, data, name: (io.BytesIO(head + data), name), magic, st.binary(max_size=2_000),
                     st.sampled_from(["brief.pdf", "foto.jpg", "<script>.pdf", "a\x00b.pdf", "", "x" * 300 + ".png",
                                      "kêst 🐄.jpeg", "../../etc/passwd"]))


def form_fields(view) -> dict[str, type | None]:
    """The fields a view reads, with their WTForms class: the fields of the forms it builds (also through a helper
    of its own module), and the keys it reads from request.form (class None)."""
    fields: dict[str, type | None] = {}
    seen: set = set()

    def scan(func, depth: int) -> None:
        func = inspect.unwrap(func)
        source = inspect.getsource(func)
        fields.update(dict.fromkeys(re.findall(r'request\.form\.get(?:list)?\(\s*"([^"]+)"', source)))
        for ident in set(re.findall(r"\b([A-Za-z_]\w*)\(", source)):
            found = func.__globals__.get(ident)
            if isinstance(found, type) and issubclass(found, FlaskForm):
                fields.update((name, unbound.field_class) for name in dir(found)
                              if isinstance(unbound := getattr(found, name, None), UnboundField))
            elif depth and inspect.isfunction(found) and found.__module__ == func.__module__ and found not in seen:
                seen.add(found)
                scan(found, depth - 1)

    scan(view, 2)
    fields.pop("csrf_token", None)
    return fields


def filled_in(kind: type) -> str:
    """What a person would type into a form field of this kind (keys read straight from request.form, like
    "delete", stay out unless the matrix or hypothesis sends them)."""
    if issubclass(kind, DateField):
        return today().isoformat()
    if issubclass(kind, IntegerField):
        return "7"
    return "It giet better mei Tom op skoalle."


def page_choices(app, ids, values) -> dict[str, list[str]]:
    """What the pages offer for each field name (radio buttons, options, hidden values), as a browser sees them:
    posts mix these with hostile values, so that some get past the choices and carry hostile text further."""
    found: dict[str, set[str]] = {}
    for route, expected in GET.items():
        usable = [actor for actor, status in zip(ACTORS, expected, strict=True) if status == 200]
        if not usable or route.startswith("/api/") or DOCUMENT.search(route):
            continue  # pages only: no documents, no live stream
        html = "".join(signed_in(app, ids, values, actor).get(route.format(**values)).get_data(as_text=True)
                       for actor in {*usable[1:2], usable[-1]})  # a family member's view and a staff member's
        for tag in re.findall(r"<input\b[^>]*>", html):
            name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
            if name and value and name.group(1) != "csrf_token":
                found.setdefault(name.group(1), set()).add(unescape(value.group(1)))
        for name, options in re.findall(r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
            found.setdefault(name, set()).update(unescape(v) for v in re.findall(r'value="([^"]*)"', options))
    return {name: sorted(chosen) for name, chosen in found.items()}


def csrf_titles(app) -> list[str]:
    """The CSRF error page's title in every language: a post that shows it never reached the form."""
    with app.test_request_context():
        titles = []
        for language in ("nl", "fy", "en"):
            with force_locale(language):
                titles.append(str(CSRF_MESSAGE[0]))
    return titles


def actor_for(route: str) -> str:
    """The first person who may use the form (someone signed in before anyone anonymous)."""
    expected = dict(zip(ACTORS, POST[route], strict=True))
    usable = [a for a in ACTORS[1:] + ACTORS[:1] if expected[a] in USABLE]
    return usable[0] if usable else ACTORS[1]


@functools.cache
def csrf_pair(app) -> tuple[str, str]:
    """The session's secret and the form token made from it, read once per world from a page as a browser reads
    them: every post's session carries the secret, so the page's token stays valid (posts skip a page each)."""
    client = app.test_client()
    form_token = token(client)
    with client.session_transaction() as session:
        return session["csrf_token"], form_token


def signed_in(app, ids, values, actor: str):
    """A client signed in as the actor with their current session version (a sign-out-everywhere before does not
    lock them out), with the matrix's open invitation pending and the world's CSRF secret (csrf_pair)."""
    secret = csrf_pair(app)[0]
    client = app.test_client()
    with client.session_transaction() as session:
        session["pending_invitation"] = values["inv"]
        session["csrf_token"] = secret
        if actor != "anon":
            with app.app_context():
                version = db.session.get(Person, ids[actor]).session_version
            session.update(person_id=ids[actor], version=version, seen=int(time.time()), idle_limit=3600,
                           provider="test")
    return client


def base_data(route: str, values: dict) -> dict:
    """The matrix's working values for this form (over what a person would fill in)."""
    data = {**POST_DATA, **ROUTE_DATA.get(route, lambda _: {})(values)}
    for youth in (values["tom"], values["lisa"]):
        data[f"c-{youth}-decision"] = "given"
    return data


def test_every_post_route_of_the_web_app_is_posted_to(world, choices):
    app, _, values = world
    adapter = app.url_map.bind("localhost")
    posted = {adapter.match(route.format(**values), method="POST")[0] for route in FORM_ROUTES}
    forms = {rule.endpoint for rule in app.url_map.iter_rules()
             if "POST" in rule.methods and not rule.rule.startswith("/api/v1")}
    assert posted == forms
    assert len(forms) > 40
    assert form_fields(app.view_functions["plans.create"]).keys() >= {"text", "due_date", "youth_id", "client_id"}
    assert form_fields(app.view_functions["complaints.attach"])["file"] is FileField
    assert {"verdict", "usefulness", "outcome", "status", "kind", "youth_id", "speaker_id"} <= set(choices)


def test_an_edit_whose_version_cannot_be_read_shows_what_is_saved_and_keeps_the_text(world):
    app, ids, values = world
    client = signed_in(app, ids, values, "tom")
    for version in ("abc", " ", "1e309", "9" * 5000, ["x", "1"]):
        response = client.post(f"/plan/{values['plan']}/onderdelen/{values['item']}/bewerken",
                               data={"csrf_token": token(client), "version": version, "text": "Myn eigen wurden 🐄"})
        assert response.status_code == 422, version
        assert "Myn eigen wurden 🐄" in response.get_data(as_text=True)


def test_a_nul_is_dropped_from_fields_and_makes_a_path_no_address(world):
    app, ids, values = world
    client = signed_in(app, ids, values, "tom")
    for path in (f"/plan/{values['plan']}%00", f"/gezinnen/{values['fam']}%00/uitnodigen", "/klachten/%00"):
        assert client.get(path).status_code == 404, path
    chosen = client.post(f"/catalogus/aanbod/{values['offer']}/kiezen",
                         data={"csrf_token": token(client), "goal_id": "\x00"})
    assert chosen.status_code == 404
    assert client.get("/catalogus?doel=%00&q=angst%00").status_code == 200


@pytest.mark.parametrize("route", FORM_ROUTES)
def test_hostile_posts_never_fail_on_our_side(world, choices, route):
    app, ids, values = world
    url = route.format(**values)
    try:
        endpoint = app.url_map.bind("localhost").match(url, method="POST")[0]
    except RequestRedirect:  # pragma: no cover - every matrix route is canonical
        raise AssertionError(f"{url} redirects") from None
    read = form_fields(app.view_functions[endpoint])
    file_fields = {name for name, kind in read.items() if kind is not None and issubclass(kind, FileField)}
    base = {**{name: filled_in(kind) for name, kind in read.items() if kind is not None and name not in file_fields},
            **base_data(route, values)}
    fields = sorted(read.keys() | base.keys())
    actor = actor_for(route)
    refused = csrf_titles(app)
    changes = st.fixed_dictionaries({}, optional={name: st.one_of(hostile_values(name), st.just(DROP))
                                                  for name in fields})
    offered = st.fixed_dictionaries({}, optional={name: st.sampled_from(choices[name]) for name in fields
                                                  if choices.get(name)})
    extras = st.dictionaries(NAMES.filter(lambda name: name not in base and name != "csrf_token"), hostile_values(),
                             max_size=3)
    uploads = st.fixed_dictionaries({}, optional={name: files() for name in file_fields})

    @settings(max_examples=15, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(chosen=offered, changed=changes, extra=extras, upload=uploads)
    def post(chosen, changed, extra, upload):
        client = signed_in(app, ids, values, actor)
        data = {**base, **chosen, **extra}
        for name, value in changed.items():
            if value is DROP:
                data.pop(name, None)
            else:
                data[name] = value
        data.update(upload)
        data["csrf_token"] = csrf_pair(app)[1]
        response = client.post(url, data=data)
        assert response.status_code < 500, f"POST {route} as {actor}: {response.status_code}"
        if "Location" in response.headers:
            assert lands_on(response.headers["Location"], "localhost") == "localhost", response.headers["Location"]
        page = response.get_data(as_text=True)
        assert not any(title in page for title in refused), f"POST {route}: the CSRF token was refused"

    if "next" in fields:  # every way off the site, not only those the draw happens to hit
        for target in REDIRECT_TARGETS:
            post = example(chosen={}, changed={"next": target}, extra={}, upload={})(post)
    post()

