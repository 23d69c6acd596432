"""Helpers for the ZGW tests: settings read the way the app reads them, valid outbox payloads, running the worker."""

import uuid

from sqlmodel import select

from app.config import zgw_settings
from app.extensions import db
from app.outbox import services as outbox
from app.zgw import worker
from app.zgw.client import ZrcClient
from app.zgw.models import ZgwRegistration, ZgwZaak
from tests.zgw.fake_zrc import Catalog

CLIENT_ID = "onsplan-test"
SECRET = "zgw-contract-test-secret-0123456789"
RSIN = "517439943"  # passes the 11-proef
OTHER_RSIN = "002564440"
CATALOGI = "https://catalogi.test/catalogi/api/v1"


def _type_url(kind: str, name: str) -> str:
    return f"{CATALOGI}/{kind}/{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


ZAAKTYPE_PLAN = _type_url("zaaktypen", "plan")
ZAAKTYPE_COMPLAINT = _type_url("zaaktypen", "complaint")
STATUSTYPES = {stage: _type_url("statustypen", stage)
               for stage in ("fixed", "help_requested", "care_started", "care_stopped", "complaint_received")}
RESULTAATTYPES = {verdict: _type_url("resultaattypen", verdict) for verdict in ("achieved", "partly", "not_achieved")}
CATALOG = Catalog(zaaktypen={ZAAKTYPE_PLAN, ZAAKTYPE_COMPLAINT},
                  statustypen={url: ZAAKTYPE_COMPLAINT if stage == "complaint_received" else ZAAKTYPE_PLAN
                               for stage, url in STATUSTYPES.items()},
                  resultaattypen={url: ZAAKTYPE_PLAN for url in RESULTAATTYPES.values()})


def env(zrc_url: str, **overrides: str) -> dict[str, str]:
    """A complete ZGW_* environment for the fake ZRC."""
    values = {"ZGW_ZRC_URL": zrc_url, "ZGW_CLIENT_ID": CLIENT_ID, "ZGW_SECRET": SECRET, "ZGW_BRONORGANISATIE": RSIN,
              "ZGW_ZAAKTYPE_PLAN": ZAAKTYPE_PLAN, "ZGW_ZAAKTYPE_COMPLAINT": ZAAKTYPE_COMPLAINT,
              # a failed event waits (at least 30 s): the tests let it be tried again with make_due
              "ZGW_MAX_ATTEMPTS": "3", "ZGW_BACKOFF_BASE_SECONDS": "60", "ZGW_BACKOFF_MAX_SECONDS": "120",
              "ZGW_TIMEOUT_SECONDS": "3", "ZGW_IDLE_SECONDS": "0.05"}
    values |= {f"ZGW_STATUSTYPE_{stage.upper()}": url for stage, url in STATUSTYPES.items()}
    values |= {f"ZGW_RESULTAATTYPE_{verdict.upper()}": url for verdict, url in RESULTAATTYPES.items()}
    return values | overrides


def settings_for(zrc_url: str, **overrides: str) -> dict:
    """The settings as app.config reads them from the environment."""
    return zgw_settings(env(zrc_url, **overrides))


# Valid payloads of our events (the outbox validates them against app/sync/schemas.py)

PROVIDER = {"agb_code": "98000001", "external_id": "demo-p000"}
PRODUCT = {"category": "45", "code": "45A01"}


def plan_fixed(plan_id: str, *, at: str = "2026-11-21T23:30:00+00:00", count: int = 1) -> dict:
    return {"plan_id": plan_id, "family_id": "family-1", "municipality_code": "0080", "fixed_at": at,
            "fixed_count": count, "youths": [{"reference": "youth-1", "age_band": "12-15"}],
            "goals": [{"goal_id": "goal-a", "version": 1, "life_domain": "school", "youth_reference": "youth-1",
                       "target_date": None}],
            "agreements": [{"person_reference": "youth-1", "role": "youth", "scope": "plan", "at": at}]}


def _care(plan_id: str, goal_id: str) -> dict:
    return {"reference": f"ref-{goal_id}", "assignment_number": 2026001, "plan_id": plan_id, "family_id": "family-1",
            "goal_id": goal_id, "municipality_code": "0080", "provider": PROVIDER, "product": PRODUCT}


def assignment_requested(plan_id: str, goal_id: str = "goal-a", *, at: str = "2026-11-22T09:00:00+00:00") -> dict:
    return {"reference": f"ref-{goal_id}", "plan_id": plan_id, "family_id": "family-1", "goal_id": goal_id,
            "municipality_code": "0080", "youth": None, "provider": PROVIDER, "offer_external_id": "demo-o000-0",
            "product": PRODUCT, "requested_start": "2026-12-01", "omvang": None, "referrer": {"type": "01"},
            "chosen_at": at, "confirmed_at": at}


def care_started(plan_id: str, goal_id: str = "goal-a", *, at: str = "2026-12-02T10:00:00+00:00") -> dict:
    return _care(plan_id, goal_id) | {"started_on": "2026-12-01", "recorded_at": at}


def care_stopped(plan_id: str, goal_id: str = "goal-a", *, at: str = "2027-03-01T10:00:00+00:00") -> dict:
    return _care(plan_id, goal_id) | {"started_on": "2026-12-01", "stopped_on": "2027-02-28", "stop_reason": "31",
                                      "dropped_out": False, "recorded_at": at}


def result(plan_id: str, goal_id: str, verdict: str, *, at: str = "2027-03-10T10:00:00+00:00") -> dict:
    return _care(plan_id, goal_id) | {
        "family_verdict": verdict, "decided_at": at, "stopped_on": "2027-02-28", "partial_result_releases": False,
        "releases_second_payment": verdict == "achieved", "corrects": None,
        "verdicts": [{"person_reference": "youth-1", "capacity": "youth", "verdict": verdict, "counts": True,
                      "child_voice": False, "given_at": at}]}


def emit(flask_app, event_type: str, payload: dict, *, aggregate_id: str | None = None,
         aggregate_type: str = "plan") -> int:
    """Write one event into the outbox (as the services do) and commit; return its id."""
    with flask_app.app_context(), db.new_session() as session:
        event = outbox.emit(session, event_type=event_type, aggregate_type=aggregate_type,
                            aggregate_id=aggregate_id or payload["plan_id"], payload=payload)
        return event.id


def plan_story(flask_app, plan_id: str) -> list[int]:
    """A plan from fixed to its results: fixed, help requested, care started and stopped, two goals judged."""
    return [emit(flask_app, "plan.fixed", plan_fixed(plan_id)),
            emit(flask_app, "assignment.requested", assignment_requested(plan_id)),
            emit(flask_app, "care.started", care_started(plan_id)),
            emit(flask_app, "care.stopped", care_stopped(plan_id)),
            emit(flask_app, "result.achieved", result(plan_id, "goal-a", "achieved")),
            emit(flask_app, "result.not_achieved", result(plan_id, "goal-b", "partly",
                                                          at="2027-03-11T10:00:00+00:00"))]


def register_all(flask_app, settings: dict, *, client: ZrcClient | None = None, rounds: int = 40) -> list:
    """Run the worker's batches until one does nothing (or `rounds` ran); return what each did."""
    client = client or ZrcClient(settings)
    done = []
    with flask_app.app_context(), db.new_session() as session:
        for _ in range(rounds):
            step = worker.register_batch(session, client, settings)
            done.append(step)
            if not (step.registered or step.skipped or step.failed):
                break
    return done


def registrations(flask_app) -> dict[int, ZgwRegistration]:
    with flask_app.app_context(), db.new_session() as session:
        return {row.event_id: row for row in session.exec(select(ZgwRegistration)).all()}


def zaak_rows(flask_app) -> list[ZgwZaak]:
    with flask_app.app_context(), db.new_session() as session:
        return list(session.exec(select(ZgwZaak).order_by(ZgwZaak.id)).all())


def make_due(flask_app) -> None:
    """Let every waiting registration be tried now (instead of sleeping through the backoff)."""
    with flask_app.app_context(), db.new_session() as session:
        for row in session.exec(select(ZgwRegistration).where(ZgwRegistration.status == "pending")).all():
            row.next_attempt_at = None
            session.add(row)
