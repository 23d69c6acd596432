"""schemathesis against /api/v1/openapi.json, in process, on SQLite and PostgreSQL: no 5xx, every answer documented."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import select

from app import create_app
from app.audit.models import AccessLogEntry
from app.extensions import db
from app.plans.models import Plan
from tests.api.conftest import requested, sign
from tests.conftest import family_id

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]

# The document is static (built from code, not from the database): it is read once at collection, as a client
# reads it, from /api/v1/openapi.json of an app without data; each test then calls the app of its own database in
# process. Only the JSON operations are in it: the HTML docs page and the document itself are no operations.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", create_app({"ENV_NAME": "test",
                                                                             "DATABASE_URL": "sqlite://"}))
schema.config.update(base_url="http://localhost/api/v1")
schema.config.generation.update(max_examples=25, deterministic=True, allow_x00=True)
schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])
REAL = "@real"  # stands for the real reference or plan id, which exists only once the test's app does
NASTY_PATHS = ["a\x00b", "\x00", "' OR '1'='1", "<script>", "dôchter 🐄", "x" * 36, "..", "%2e%2e"]


@schema.hook
def before_generate_path_parameters(context, strategy):
    """A third of the calls aim at the real request or plan, so their bodies reach the services (not only a 404);
    some carry a NUL, SQL or an emoji in the path (schemathesis keeps to printable path values)."""
    names = [parameter.name for parameter in context.operation.path_parameters]
    return st.one_of(strategy, st.just(dict.fromkeys(names, REAL)),
                     st.fixed_dictionaries({name: st.sampled_from(NASTY_PATHS) for name in names}))


@pytest.fixture
def real_ids(any_api_app) -> dict:
    """A real request for an assignment (Tom's school goal), the demo plan and a problem type, to aim generated
    calls at."""
    reference = requested(any_api_app)
    with any_api_app.app_context():
        plan_id = db.session.exec(select(Plan.id).where(Plan.family_id == family_id(any_api_app))).one()
    return {"reference": reference, "plan_id": plan_id, "problem": "too-many-requests"}


@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_answers_hostile_calls_as_documented(case, any_api_app, jwks, real_ids):
    if case.path_parameters:
        case.path_parameters = {name: real_ids[name] if value == REAL else value
                                for name, value in case.path_parameters.items()}
    response = case.call_and_validate(app=any_api_app, headers={"Authorization": f"Bearer {sign(jwks.keys[0])}"},
                                      checks=CHECKS)
    assert response.status_code < 500


def test_a_request_id_that_is_no_string_is_refused_by_name(any_api):
    reference = requested(any_api.app)
    for request_id in ([None, None], 42, {"a": 1}, "3f1c7c1e-0d6a-4c55-9a53-2b8e3f0c9d1\x00"):
        response = any_api.call("POST", f"/assignments/{reference}/decision",
                                {"decision": "examining", "request_id": request_id})
        assert response.status_code == 422, request_id
        assert {e["field"] for e in response.get_json()["errors"]} == {"request_id"}


def test_a_nul_in_the_path_is_no_address_and_is_logged_as_sent(any_api):
    response = any_api.call("POST", "/assignments/a%00b/decision",
                            {"decision": "examining", "request_id": "3f1c7c1e-0d6a-4c55-9a53-2b8e3f0c9d11"})
    assert response.status_code == 404
    assert any_api.call("GET", "/plans/%00/status").status_code == 404
    with any_api.app.app_context():
        logged = db.session.exec(select(AccessLogEntry.detail).where(AccessLogEntry.event == "api.refused")).all()
    assert any("POST /api/v1/assignments/a%00b/decision -> 404" in detail for detail in logged), logged
