"""The mapping from our events to Zaken API requests, checked against the published document without HTTP."""

import time

import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import OctKey

from app.config import zgw_settings
from app.zgw import mapping
from app.zgw.client import ZrcError, zgw_jwt
from tests.zgw import contract
from tests.zgw.support import (
    RESULTAATTYPES,
    RSIN,
    SECRET,
    STATUSTYPES,
    ZAAKTYPE_COMPLAINT,
    ZAAKTYPE_PLAN,
    assignment_requested,
    care_started,
    care_stopped,
    env,
    plan_fixed,
    result,
    settings_for,
)

SETTINGS = settings_for("https://zaken.gemeente.test/zaken/api/v1")
ZAAK_URL = "https://zaken.gemeente.test/zaken/api/v1/zaken/8c2e0b1e-6c4d-4c1e-9e57-7f0f5b0d6a11"
COMPLAINT = {"complaint_id": "c0mpla1nt", "number": "2026-7KQ4MX", "municipality_code": "0080",
             "filed_at": "2026-11-22T10:15:00+00:00",
             "parts": [{"part_id": "part-1", "subject": "professional", "regime": "awb", "received_on": "2026-11-22",
                        "decide_by": "2027-01-03"},
                       {"part_id": "part-2", "subject": "app", "regime": "awb", "received_on": "2026-11-22",
                        "decide_by": "2027-01-31"}]}
ZAAK_BODY = contract.pointer("paths", "/zaken", "post", "requestBody", "content", "application/json", "schema")
STATUS_BODY = contract.pointer("paths", "/statussen", "post", "requestBody", "content", "application/json", "schema")
RESULTAAT_BODY = contract.pointer("paths", "/resultaten", "post", "requestBody", "content", "application/json",
                                  "schema")


def _all_requests() -> list[tuple[str, dict]]:
    """Every body the mapping makes for one plan's events and a complaint: (pointer of its schema, body)."""
    events = [("plan.fixed", plan_fixed("plan-1")), ("assignment.requested", assignment_requested("plan-1")),
              ("care.started", care_started("plan-1")), ("care.stopped", care_stopped("plan-1")),
              ("result.achieved", result("plan-1", "goal-a", "achieved")), ("complaint.filed", COMPLAINT)]
    bodies = []
    for event_type, payload in events:
        plan = mapping.registration(event_type, payload, SETTINGS)
        bodies.append((ZAAK_BODY, plan.zaak))
        if plan.status:
            bodies.append((STATUS_BODY, {"zaak": ZAAK_URL, **plan.status}))
    bodies.append((RESULTAAT_BODY, mapping.resultaat_request(SETTINGS, ZAAK_URL, {"goal-a": "partly"})))
    return bodies


def test_a_fixed_plan_is_a_confidential_zaak_of_the_plan_zaaktype_without_names():
    plan = mapping.registration("plan.fixed", plan_fixed("plan-1", at="2026-11-21T23:30:00+00:00"), SETTINGS)
    assert (plan.subject_type, plan.subject_id) == ("plan", "plan-1")
    assert plan.zaak == {
        "identificatie": "ONSPLAN-plan-1", "bronorganisatie": RSIN, "verantwoordelijkeOrganisatie": RSIN,
        "zaaktype": ZAAKTYPE_PLAN, "omschrijving": "Gezinsplan jeugdhulp",
        "startdatum": "2026-11-22",  # 23:30 UTC is already the 22nd in Amsterdam
        "vertrouwelijkheidaanduiding": "vertrouwelijk", "kenmerken": [{"kenmerk": "plan-1", "bron": "Ons Plan"}]}
    assert plan.status == {"statustype": STATUSTYPES["fixed"], "datumStatusGezet": "2026-11-21T23:30:00+00:00",
                           "statustoelichting": "Gezinsplan vastgesteld (versie 1)"}
    assert plan.verdict is None


@pytest.mark.parametrize(("event_type", "payload", "stage", "moment"), [
    ("assignment.requested", assignment_requested("plan-1"), "help_requested", "2026-11-22T09:00:00+00:00"),
    ("care.started", care_started("plan-1"), "care_started", "2026-12-02T10:00:00+00:00"),
    ("care.stopped", care_stopped("plan-1"), "care_stopped", "2027-03-01T10:00:00+00:00"),
])
def test_each_later_plan_event_sets_the_status_of_its_stage_on_the_plans_zaak(event_type, payload, stage, moment):
    plan = mapping.registration(event_type, payload, SETTINGS)
    assert plan.subject_id == "plan-1"
    assert plan.zaak["identificatie"] == "ONSPLAN-plan-1"  # the same Zaak as plan.fixed's
    assert plan.status["statustype"] == STATUSTYPES[stage]
    assert plan.status["datumStatusGezet"] == moment
    assert "ref-goal-a" in plan.status["statustoelichting"]


def test_a_result_carries_the_goals_verdict_and_no_status():
    plan = mapping.registration("result.not_achieved", result("plan-1", "goal-b", "partly"), SETTINGS)
    assert plan.status is None
    assert plan.verdict == ("goal-b", "partly")


def test_the_plans_resultaat_is_its_least_favourable_goal_verdict():
    both = mapping.resultaat_request(SETTINGS, ZAAK_URL, {"goal-b": "partly", "goal-a": "achieved"})
    assert both["resultaattype"] == RESULTAATTYPES["partly"]
    assert both["toelichting"] == "Oordeel van het gezin per doel: doel goal-a: behaald; doel goal-b: deels behaald"
    assert mapping.resultaat_request(SETTINGS, ZAAK_URL, {"a": "achieved", "b": "not_achieved", "c": "partly"})[
        "resultaattype"] == RESULTAATTYPES["not_achieved"]
    assert mapping.resultaat_request(SETTINGS, ZAAK_URL, {"a": "achieved"})["resultaattype"] == \
        RESULTAATTYPES["achieved"]
    assert mapping.resultaat_request(SETTINGS, ZAAK_URL, {}) is None


def test_partly_falls_back_to_not_achieved_and_an_unconfigured_verdict_sends_nothing():
    two_types = zgw_settings(env("https://zrc.test/zaken/api/v1", ZGW_RESULTAATTYPE_PARTLY="",
                                 ZGW_RESULTAATTYPE_ACHIEVED=""))
    assert mapping.resultaat_request(two_types, ZAAK_URL, {"a": "partly"})["resultaattype"] == \
        RESULTAATTYPES["not_achieved"]
    assert mapping.resultaat_request(two_types, ZAAK_URL, {"a": "achieved"}) is None


def test_a_stage_without_statustype_sets_no_status_but_still_belongs_to_the_zaak():
    quiet = zgw_settings(env("https://zrc.test/zaken/api/v1", ZGW_STATUSTYPE_CARE_STARTED=""))
    plan = mapping.registration("care.started", care_started("plan-1"), quiet)
    assert plan.status is None
    assert plan.zaak["zaaktype"] == ZAAKTYPE_PLAN


def test_a_complaint_is_its_own_zaak_with_the_awb_deadline_and_no_text():
    plan = mapping.registration("complaint.filed", COMPLAINT, SETTINGS)
    assert (plan.subject_type, plan.subject_id) == ("complaint", "c0mpla1nt")
    assert plan.zaak["zaaktype"] == ZAAKTYPE_COMPLAINT
    assert plan.zaak["identificatie"] == "ONSPLAN-2026-7KQ4MX"
    assert plan.zaak["omschrijving"] == "Klacht over de jeugdprofessional, de app Ons Plan"
    assert plan.zaak["uiterlijkeEinddatumAfdoening"] == "2027-01-31"  # the later of the two parts' deadlines
    assert plan.zaak["startdatum"] == "2026-11-22"
    assert plan.status["statustype"] == STATUSTYPES["complaint_received"]


def test_events_without_an_rsin_or_a_complaint_zaaktype_are_skipped():
    regional = zgw_settings(env("https://zrc.test/zaken/api/v1", ZGW_BRONORGANISATIE='{"0086": "517439943"}'))
    assert regional["bronorganisatie"] == {"0086": RSIN}
    assert isinstance(mapping.registration("plan.fixed", plan_fixed("p"), regional), mapping.Skip)
    no_complaints = zgw_settings(env("https://zrc.test/zaken/api/v1", ZGW_ZAAKTYPE_COMPLAINT=""))
    skip = mapping.registration("complaint.filed", COMPLAINT, no_complaints)
    assert isinstance(skip, mapping.Skip)
    assert "ZGW_ZAAKTYPE_COMPLAINT" in skip.reason
    assert isinstance(mapping.registration("complaints.monthly", {"municipality_code": "0080"}, SETTINGS),
                      mapping.Skip)


def test_a_payload_without_what_the_zaak_needs_is_a_mapping_error():
    broken = plan_fixed("plan-1")
    del broken["fixed_at"]
    with pytest.raises(mapping.MappingError, match="fixed_at"):
        mapping.registration("plan.fixed", broken, SETTINGS)


def test_every_request_the_mapping_makes_conforms_to_the_published_document():
    bodies = _all_requests()
    assert len(bodies) == 12
    for where, body in bodies:
        assert contract.schema_errors(where, body, view="write") == [], body
        assert contract.unknown_fields(where, body) == [], body


@pytest.mark.parametrize(("component", "expected"), [
    ("Zaak", {"bronorganisatie", "zaaktype", "verantwoordelijkeOrganisatie", "startdatum"}),
    ("Status", {"zaak", "statustype", "datumStatusGezet"}),
    ("Resultaat", {"zaak", "resultaattype"}),
])
def test_the_mapping_sends_every_field_the_document_requires(component, expected):
    assert contract.required_writable(component) == expected  # read from the document, not assumed
    where = {"Zaak": ZAAK_BODY, "Status": STATUS_BODY, "Resultaat": RESULTAAT_BODY}[component]
    for body_where, body in _all_requests():
        if body_where == where:
            assert expected <= set(body)


@pytest.mark.parametrize(("where", "field"), [
    (ZAAK_BODY, "bronorganisatie"), (ZAAK_BODY, "zaaktype"), (ZAAK_BODY, "verantwoordelijkeOrganisatie"),
    (ZAAK_BODY, "startdatum"), (STATUS_BODY, "zaak"), (STATUS_BODY, "statustype"),
    (STATUS_BODY, "datumStatusGezet"), (RESULTAAT_BODY, "zaak"), (RESULTAAT_BODY, "resultaattype"),
])
def test_the_validator_rejects_mapping_output_missing_a_required_field(where, field):
    body = next(body for body_where, body in _all_requests() if body_where == where)
    assert contract.schema_errors(where, body, view="write") == []
    without = {k: v for k, v in body.items() if k != field}
    assert contract.schema_errors(where, without, view="write") == [f"(body): '{field}' is a required property"]


def test_the_validator_rejects_wrong_values_and_read_only_or_unknown_fields():
    zaak = mapping.registration("plan.fixed", plan_fixed("plan-1"), SETTINGS).zaak
    assert contract.schema_errors(ZAAK_BODY, {**zaak, "vertrouwelijkheidaanduiding": "heel_geheim"}, view="write")
    assert contract.schema_errors(ZAAK_BODY, {**zaak, "startdatum": "22-11-2026"}, view="write")
    assert contract.schema_errors(ZAAK_BODY, {**zaak, "omschrijving": "x" * 81}, view="write")
    assert contract.schema_errors(ZAAK_BODY, {**zaak, "url": ZAAK_URL}, view="write")  # readOnly
    assert contract.unknown_fields(ZAAK_BODY, {**zaak, "omschrijvng": "typo"}) == [
        "omschrijvng: not a property of this resource"]


def test_settings_problems_name_what_is_missing_or_wrong():
    assert mapping.settings_problems(SETTINGS) == []
    bad = zgw_settings(env("ftp://zrc.test", ZGW_SECRET="short", ZGW_BRONORGANISATIE="123456789",
                           ZGW_ZAAKTYPE_PLAN="", ZGW_STATUSTYPE_FIXED="not a url"))
    problems = " | ".join(mapping.settings_problems(bad))
    for name in ("ZGW_ZRC_URL", "ZGW_SECRET", "'123456789'", "ZGW_ZAAKTYPE_PLAN", "ZGW_STATUSTYPE_FIXED"):
        assert name in problems
    assert mapping.valid_rsin(RSIN)
    assert not mapping.valid_rsin("517439944")
    assert not mapping.valid_rsin("51743994")
    with pytest.raises(ValueError, match="ZGW_BRONORGANISATIE"):
        zgw_settings({"ZGW_BRONORGANISATIE": '{"0080": 517439943}'})


def test_the_zgw_jwt_is_hs256_with_the_claims_of_the_zgw_auth_spec():
    before = int(time.time())
    token = jwt.decode(zgw_jwt(SETTINGS), OctKey.import_key(SECRET), algorithms=["HS256"])
    assert token.header["alg"] == "HS256"
    claims = token.claims
    assert claims["iss"] == claims["client_id"] == "onsplan-test"
    assert claims["user_id"] == "onsplan"
    assert claims["user_representation"] == "Ons Plan"
    assert before <= claims["iat"] <= int(time.time())
    with pytest.raises(BadSignatureError):
        jwt.decode(zgw_jwt(SETTINGS), OctKey.import_key("another-secret-of-enough-length"), algorithms=["HS256"])


@pytest.mark.parametrize(("status", "permanent"), [(400, True), (403, True), (404, True), (401, False),
                                                     (429, False), (503, False), (None, False)])
def test_which_zrc_failures_are_permanent(status, permanent):
    assert ZrcError("x", status=status).permanent is permanent
