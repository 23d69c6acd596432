"""Assignment decisions, care start and stop and a plan's status through the API; the replayed and reused request
ids and the care events with their audit entries also on PostgreSQL."""

from datetime import timedelta

from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.audit.services import verify
from app.catalog.models import Assignment
from app.core.clock import today
from app.extensions import db
from app.identity.models import Family, Municipality
from app.outbox.models import OutboxEvent
from app.plans.models import Plan
from app.results.models import FamilyVerdict, ResultVerdict
from tests.api.conftest import new_id, requested, sign
from tests.plans.conftest import PlanWorld


def assigned_body(**changes) -> dict:
    return {"decision": "assigned", "assignment_number": 2026555, "start": (today() - timedelta(days=10)).isoformat(),
            "end": (today() + timedelta(days=170)).isoformat(), "request_id": new_id(), **changes}


def log_entries(app, event: str) -> list[AccessLogEntry]:
    with app.app_context():
        return list(db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == event)
                                    .order_by(AccessLogEntry.id)).all())


def test_a_decision_assigns_and_the_same_request_again_gets_the_same_answer(any_api):
    reference = requested(any_api.app)
    body = assigned_body()
    first = any_api.call("POST", f"/assignments/{reference}/decision", body)
    assert first.status_code == 200, first.get_json()
    answer = first.get_json()
    assert (answer["status"], answer["assignment_number"], answer["start"]) == ("assigned", 2026555, body["start"])
    again = any_api.call("POST", f"/assignments/{reference}/decision", body)
    assert (again.status_code, again.get_json()) == (200, answer)
    with any_api.app.app_context():
        row = db.session.exec(select(Assignment).where(Assignment.reference == reference)).one()
        assert (row.status, row.assignment_number) == ("assigned", 2026555)
    calls = log_entries(any_api.app, "api.assignment.decision")
    assert [(e.actor_id, e.actor_role, e.family_id == row.family_id) for e in calls] == [
        ("gemeente-backoffice", "api_client", True)] * 2
    assert calls[1].detail.endswith("-> 200: replayed")


def test_a_different_decision_after_a_final_one_is_a_conflict(api):
    reference = requested(api.app)
    assert api.call("POST", f"/assignments/{reference}/decision", assigned_body()).status_code == 200
    refused = api.call("POST", f"/assignments/{reference}/decision",
                       {"decision": "refused", "refusal_reason": "3", "request_id": new_id()})
    assert refused.status_code == 409
    assert refused.headers["Content-Type"] == "application/problem+json"
    problem = refused.get_json()
    assert problem["type"].endswith("/conflict")
    assert problem["errors"][0]["field"] == "decision"
    same_again = api.call("POST", f"/assignments/{reference}/decision", assigned_body(request_id=new_id()))
    assert same_again.status_code == 200  # the same decision with a new request id changes nothing
    refusals = log_entries(api.app, "api.refused")
    assert refusals[-1].outcome == "refused"
    assert "-> 409" in refusals[-1].detail
    assert refusals[-1].family_id is not None  # the family's chain: its assignment was touched


def test_examining_then_refused_with_a_wj759_reason(api):
    reference = requested(api.app)
    examining = api.call("POST", f"/assignments/{reference}/decision", {"decision": "examining",
                                                                       "request_id": new_id()})
    assert examining.get_json()["status"] == "examining"
    refused = api.call("POST", f"/assignments/{reference}/decision",
                       {"decision": "refused", "refusal_reason": "7", "request_id": new_id()})
    assert (refused.status_code, refused.get_json()["refusal_reason"]) == (200, "7")


def test_bad_decisions_name_the_failing_field(api):
    reference = requested(api.app)
    cases = [
        ({"decision": "assigned", "request_id": new_id()}, {"assignment_number", "start"}),
        ({"decision": "refused", "refusal_reason": "0", "request_id": new_id()}, {"refusal_reason"}),
        ({"decision": "maybe", "request_id": new_id()}, {"decision"}),
        (assigned_body(assignment_number=10**9), {"assignment_number"}),
        (assigned_body(start="2026-13-01"), {"start"}),
        (assigned_body(end=(today() - timedelta(days=30)).isoformat()), {"end"}),
        (assigned_body(request_id="not-a-uuid"), {"request_id"}),
        (assigned_body(comment="extra"), {"comment"}),
        ({"decision": "examining"}, {"request_id"}),
    ]
    for body, fields in cases:
        response = api.call("POST", f"/assignments/{reference}/decision", body)
        assert response.status_code == 422, (body, response.get_json())
        assert {e["field"] for e in response.get_json()["errors"]} == fields, (body, response.get_json())
    with api.app.app_context():
        assert db.session.exec(select(Assignment.status).where(Assignment.reference == reference)).one() == "requested"


def test_unknown_reference_and_a_reused_request_id(any_api):
    missing = any_api.call("POST", "/assignments/no-such-reference/decision", assigned_body())
    assert missing.status_code == 404
    assert missing.get_json()["title"] == "Not found"
    reference = requested(any_api.app)
    body = assigned_body()
    assert any_api.call("POST", f"/assignments/{reference}/decision", body).status_code == 200
    reused = any_api.call("POST", f"/assignments/{reference}/decision", {**body, "assignment_number": 7})
    assert reused.status_code == 422
    assert reused.get_json()["errors"] == [{"field": "request_id", "message": "already used for a different request"}]


def test_care_start_and_stop_on_behalf_of_the_provider(any_api):
    reference = requested(any_api.app)
    assert any_api.call("POST", f"/assignments/{reference}/decision", assigned_body()).status_code == 200
    stop_first = any_api.call("POST", f"/assignments/{reference}/care-stop",
                              {"date": today().isoformat(), "reason": "31", "request_id": new_id()})
    assert stop_first.status_code == 422
    assert stop_first.get_json()["errors"][0]["field"] == "date"
    start = {"date": (today() - timedelta(days=5)).isoformat(), "request_id": new_id()}
    started = any_api.call("POST", f"/assignments/{reference}/care-start", start)
    assert (started.status_code, started.get_json()["care_started_on"]) == (200, start["date"])
    assert any_api.call("POST", f"/assignments/{reference}/care-start", start).get_json() == started.get_json()
    other_day = any_api.call("POST", f"/assignments/{reference}/care-start",
                             {"date": today().isoformat(), "request_id": new_id()})
    assert other_day.status_code == 409
    future = any_api.call("POST", f"/assignments/{reference}/care-stop",
                          {"date": (today() + timedelta(days=3)).isoformat(), "reason": "31", "request_id": new_id()})
    assert future.status_code == 422
    unknown_reason = any_api.call("POST", f"/assignments/{reference}/care-stop",
                                  {"date": today().isoformat(), "reason": "99", "request_id": new_id()})
    assert [e["field"] for e in unknown_reason.get_json()["errors"]] == ["reason"]
    reason_on_start = any_api.call("POST", f"/assignments/{reference}/care-start",
                                   {"date": today().isoformat(), "reason": "31", "request_id": new_id()})
    assert [e["field"] for e in reason_on_start.get_json()["errors"]] == ["reason"]  # start has no reason
    stopped = any_api.call("POST", f"/assignments/{reference}/care-stop",
                           {"date": today().isoformat(), "reason": "33", "request_id": new_id()})
    assert (stopped.status_code, stopped.get_json()["stop_reason"]) == (200, "33")
    with any_api.app.app_context():
        row = db.session.exec(select(Assignment).where(Assignment.reference == reference)).one()
        assert (row.care_started_by_id, row.care_stopped_on, row.dropped_out) == (None, today(), True)
        events = db.session.exec(select(OutboxEvent.event_type).where(OutboxEvent.aggregate_id == row.plan_id)
                                 .order_by(OutboxEvent.sequence)).all()
        assert events[-2:] == ["care.started", "care.stopped"]
        changes = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event.in_(["care.start", "care.stop"]),
                                                               AccessLogEntry.object_id == reference)).all()
        assert {(e.actor_id, e.actor_role) for e in changes} == {("gemeente-backoffice", "api_client")}
        assert all("on behalf of the provider" in e.detail for e in changes)
        assert verify(db.session) == []  # every chain still adds up


def test_care_needs_an_assignment(api):
    reference = requested(api.app)
    response = api.call("POST", f"/assignments/{reference}/care-start",
                        {"date": today().isoformat(), "request_id": new_id()})
    assert response.status_code == 409
    assert "not assigned" in response.get_json()["detail"]


def test_plan_status_shows_codes_and_references_only(api):
    world = PlanWorld(api.app)
    with api.app.app_context():
        ended = db.session.exec(select(Assignment).where(Assignment.plan_id == world.plan_id,
                                                         Assignment.care_stopped_on.is_not(None))).one()
        db.session.add(ResultVerdict(assignment_id=ended.id, goal_id=ended.goal_id, person_id=world.people["tom"],
                                     capacity="youth", verdict="achieved"))
        db.session.add(ResultVerdict(assignment_id=ended.id, goal_id=ended.goal_id, person_id=world.people["karin"],
                                     capacity="provider", verdict="partly"))
        db.session.add(FamilyVerdict(assignment_id=ended.id, goal_id=ended.goal_id, verdict="achieved"))
        db.session.commit()
        ended_goal, ended_reference = ended.goal_id, ended.reference
    response = api.call("GET", f"/plans/{world.plan_id}/status")
    assert response.status_code == 200
    status = response.get_json()
    goals = {goal["goal_id"]: goal for goal in status["goals"]}
    ended_view = goals[ended_goal]
    assert ended_view["assignment"]["reference"] == ended_reference
    assert ended_view["assignment"]["stop_reason"] == "31"
    assert ended_view["result"]["family_verdict"] == "achieved"
    verdicts = {v["capacity"]: v for v in ended_view["result"]["verdicts"]}
    assert (verdicts["youth"]["verdict"], verdicts["youth"]["counts"]) == ("achieved", True)
    assert (verdicts["provider"]["verdict"], verdicts["provider"]["counts"]) == ("partly", False)
    text = response.get_data(as_text=True)
    for name in ("Tom", "Sanne", "Karin", "Boer"):
        assert name not in text
    assert [e.object_id for e in log_entries(api.app, "api.plan.status")] == [world.plan_id]
    assert api.call("GET", "/plans/no-such-plan/status").status_code == 404


def test_a_client_sees_and_decides_only_for_its_own_municipalities(api, jwks):
    reference = requested(api.app)
    with api.app.app_context():
        assignment = db.session.exec(select(Assignment).where(Assignment.reference == reference)).one()
        plan_id = db.session.exec(select(Plan.id).where(Plan.family_id == assignment.family_id)).one()
        own = db.session.exec(select(Municipality.cbs_code).join(Family, Family.municipality_id == Municipality.id)
                              .where(Family.id == assignment.family_id)).one()
    other = "0088" if own != "0088" else "0080"
    api.app.config["API_CLIENT_MUNICIPALITIES"] = {"gemeente-backoffice": (other,), "regio": ("*",)}
    refused = api.call("POST", f"/assignments/{reference}/decision", assigned_body())
    assert refused.status_code == 404  # another municipality's family does not exist for this client
    assert api.call("GET", f"/plans/{plan_id}/status").status_code == 404
    region = sign(jwks.keys[0], client_id="regio")
    assert api.call("GET", f"/plans/{plan_id}/status", token=region).status_code == 200
    stranger = api.call("GET", f"/plans/{plan_id}/status", token=sign(jwks.keys[0], client_id="onbekend"))
    assert stranger.status_code == 403
    assert "not registered" in stranger.get_json()["detail"]
    api.app.config["API_CLIENT_MUNICIPALITIES"] = {"gemeente-backoffice": (own,)}
    decided = api.call("POST", f"/assignments/{reference}/decision", assigned_body())
    assert decided.status_code == 200, decided.get_json()
    with api.app.app_context():
        assert db.session.exec(select(Assignment.status).where(Assignment.reference == reference)).one() == "assigned"
