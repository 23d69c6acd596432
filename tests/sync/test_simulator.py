"""The backoffice simulator: its tokens, its checks on our events (schema, token, key), and its decisions, which
go to our real inbound API (served in a thread) with a JWT the simulator signs."""

import base64

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet
from sqlmodel import select
from werkzeug.serving import make_server

from app.extensions import db
from app.outbox.models import OutboxEvent
from app.simulator.backoffice import SimulatorSettings, assignment_number, create_simulator
from app.sync.worker import envelope
from tests.support.servers import free_port, serve_in_thread

BASIC = "Basic " + base64.b64encode(b"onsplan-demo:demo-sync-secret").decode()


def _settings(**extra) -> SimulatorSettings:
    return SimulatorSettings(issuer="http://sim.test", app_url="http://127.0.0.1:9", api_audience="api",
                             clients={"onsplan-demo": "demo-sync-secret"}, decide_after=None, **extra)


def _token(client) -> str:
    answer = client.post("/token", data={"grant_type": "client_credentials"}, headers={"Authorization": BASIC})
    assert answer.status_code == 200
    return answer.get_json()["access_token"]


def _event(seeded_app) -> dict:
    with seeded_app.app_context(), db.new_session() as session:
        return envelope(session.exec(select(OutboxEvent).order_by(OutboxEvent.id)).first())


@pytest.fixture
def sim_app(app):
    return app


def test_token_is_a_jwt_with_issuer_audience_expiry_and_scope():
    sim = create_simulator(_settings(token_ttl=120)).test_client()
    assert sim.post("/token", data={"grant_type": "client_credentials"},
                    headers={"Authorization": "Basic " + base64.b64encode(b"onsplan-demo:wrong").decode()}
                    ).status_code == 401
    keys = KeySet.import_key_set(sim.get("/.well-known/jwks.json").get_json())
    claims = jwt.decode(_token(sim), keys).claims
    assert claims["iss"] == "http://sim.test"
    assert claims["aud"] == "http://sim.test/events"
    assert claims["scope"] == "events:write"
    assert 110 <= claims["exp"] - claims["iat"] <= 120


def test_events_need_a_valid_token_and_a_valid_payload(seeded):
    sim_app = create_simulator(_settings())
    sim = sim_app.test_client()
    event = _event(seeded[0])
    key = {"Idempotency-Key": event["id"]}
    assert sim.post("/events", json=event, headers=key).status_code == 401
    other = create_simulator(_settings()).test_client()  # another key pair: its tokens are not ours
    assert sim.post("/events", json=event, headers={**key, "Authorization": f"Bearer {_token(other)}"}
                    ).status_code == 401
    auth = {**key, "Authorization": f"Bearer {_token(sim)}"}
    bad = {**event, "data": {**event["data"], "municipality_code": "12"}}
    refused = sim.post("/events", json=bad, headers=auth)
    assert refused.status_code == 422
    assert "municipality_code" in str(refused.get_json()["errors"])
    assert sim.post("/events", json=event, headers={**auth, "Idempotency-Key": "other"}).status_code == 422
    assert sim.post("/events", json=event, headers=auth).status_code == 202
    assert sim.post("/events", json=event, headers=auth).status_code == 200  # the same key again: kept once
    seen = sim_app.extensions["ledger"].snapshot()
    assert [entry["key"] for entry in seen["accepted"]] == [event["id"]]
    assert seen["receipts"][event["id"]] == 2
    assert len(seen["rejected"]) == 2
    assert len(seen["unauthorized"]) == 2


@pytest.mark.parametrize("fail", ["down", "500"])
def test_fault_modes_answer_with_errors(fail):
    sim = create_simulator(_settings(fail=fail)).test_client()
    assert sim.post("/events", json={}).status_code == {"down": 503, "500": 500}[fail]


def _serve(wsgi_app) -> tuple[str, object]:
    port = free_port()
    server = make_server("127.0.0.1", port, wsgi_app, threaded=True)
    serve_in_thread(server)
    return f"http://127.0.0.1:{port}", server


def test_assignment_requests_are_answered_through_our_api_twice_in_duplicates_mode(tmp_path):
    """End to end in one process: the simulator's decision reaches the real inbound API, which records it once."""
    from app.catalog.models import Assignment
    from tests.conftest import make_app

    sim_port = free_port()
    sim_url = f"http://127.0.0.1:{sim_port}"
    api = make_app(f"sqlite:///{tmp_path / 'api.db'}", with_plan=True, API_ISSUER=sim_url,
                   API_JWKS_URL=f"{sim_url}/.well-known/jwks.json", API_AUDIENCE="https://onsplan.test/api/v1")
    app_url, app_server = _serve(api)
    settings = SimulatorSettings(issuer=sim_url, app_url=app_url, api_audience="https://onsplan.test/api/v1",
                                 clients={"onsplan-demo": "demo-sync-secret"}, decide_after=0.1, fail="duplicates")
    sim_app = create_simulator(settings)
    server = make_server("127.0.0.1", sim_port, sim_app, threaded=True)
    serve_in_thread(server)
    try:
        event = _event(api)
        assert event["type"] == "assignment.requested"
        with api.app_context(), db.new_session() as session:  # the demo's help is assigned already: ask again
            waiting = session.exec(select(Assignment).where(Assignment.reference == event["data"]["reference"])).one()
            waiting.status, waiting.assignment_number, waiting.decided_at = "requested", None, None
            session.add(waiting)
            session.commit()
        token = requests.post(f"{sim_url}/token", data={"grant_type": "client_credentials"},
                              headers={"Authorization": BASIC}, timeout=5).json()["access_token"]
        answer = requests.post(f"{sim_url}/events", json=event, timeout=5,
                               headers={"Authorization": f"Bearer {token}", "Idempotency-Key": event["id"]})
        assert answer.status_code == 202
        ledger = sim_app.extensions["ledger"]
        from tests.sync.support import wait_until

        wait_until(lambda: len(ledger.snapshot()["decisions"]) == 2, timeout=20, message="two decisions")
        decisions = ledger.snapshot()["decisions"]
        assert [d["status"] for d in decisions] == [200, 200], decisions
        assert decisions[0]["request_id"] == decisions[1]["request_id"]
        reference = event["data"]["reference"]
        with api.app_context(), db.new_session() as session:
            assignment = session.exec(select(Assignment).where(Assignment.reference == reference)).one()
            assert assignment.assignment_number == assignment_number(reference)
            assert assignment.status == "assigned"
    finally:
        server.shutdown()
        app_server.shutdown()


class _Answers:
    """A stand-in for the simulator's HTTP session: answers each POST with the next status (None: unreachable)."""

    def __init__(self, statuses):
        self.statuses, self.posts = list(statuses), 0

    def post(self, url, **_kwargs):
        self.posts += 1
        status = self.statuses.pop(0)
        if status is None:
            raise requests.ConnectionError("connection refused")
        response = requests.Response()
        response.status_code, response._content = status, b'{"title": "answer"}'
        return response


def _decider(statuses, **settings):
    from app.simulator.backoffice import Decider, Ledger
    from app.simulator.tokens import Signer

    decider = Decider(_settings(**settings), Signer("http://sim.test"), Ledger())
    decider.http, waits = _Answers(statuses), []
    decider.sleep = waits.append
    return decider, waits


def test_a_decision_our_api_did_not_take_is_sent_again_with_growing_waits_and_logged(caplog):
    decider, waits = _decider([503, None, 500, 200])
    decider.decide({"reference": "REF-1", "requested_start": "2027-01-04"})
    assert decider.http.posts == 4
    assert waits == [1.0, 2.0, 4.0]
    assert [d["status"] for d in decider.ledger.snapshot()["decisions"]] == [200]
    assert len([r for r in caplog.records if r.name == "onsplan.simulator" and r.levelname == "WARNING"]) == 3


def test_the_simulator_gives_up_after_its_last_attempt_and_says_what_to_check(caplog):
    decider, waits = _decider([503] * 10, retry_attempts=4, retry_max_seconds=3)
    decider.decide({"reference": "REF-2", "requested_start": "2027-01-04"})
    assert decider.http.posts == 4
    assert waits == [1.0, 2.0, 3.0]  # doubling, capped
    [given_up] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert "API_ISSUER" in given_up.getMessage()
    assert [d["status"] for d in decider.ledger.snapshot()["decisions"]] == [503]


def test_a_refusal_is_not_sent_again():
    decider, waits = _decider([422, 200])
    decider.decide({"reference": "REF-3", "requested_start": "2027-01-04"})
    assert (decider.http.posts, waits) == (1, [])


def test_the_simulator_listens_where_the_app_expects_it(monkeypatch):
    from app import create_app
    from app.simulator import cli

    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.setenv("DEMO", "1")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("SIMULATOR_URL", "http://127.0.0.1:5055")
    served = {}
    monkeypatch.setattr(cli, "run_simple", lambda host, port, app, **_: served.update(host=host, port=port, app=app))
    result = create_app().test_cli_runner().invoke(args=["municipality", "simulate", "--decide-after", "-1"])
    assert result.exit_code == 0, result.output
    assert (served["host"], served["port"]) == ("127.0.0.1", 5055)
