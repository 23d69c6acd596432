"""Contract tests: the adapter against the fake ZRC over real HTTP; every request and every answer is checked
against the published Zaken API 1.5.1 document (and the ZGW JWT), on SQLite and PostgreSQL."""

import pytest
import requests
from sqlmodel import select

from app.catalog.models import Provider
from app.complaints import services as complaint_services
from app.demo.services import demo_people
from app.extensions import db
from app.outbox.models import OutboxEvent
from app.zgw import mapping
from app.zgw.client import CRS, ZrcClient
from tests.zgw import contract
from tests.zgw.support import (
    RESULTAATTYPES,
    RSIN,
    STATUSTYPES,
    ZAAKTYPE_COMPLAINT,
    ZAAKTYPE_PLAN,
    care_started,
    emit,
    make_due,
    plan_fixed,
    plan_story,
    register_all,
    registrations,
    result,
    settings_for,
    zaak_rows,
)


def _only_valid_requests(zrc) -> None:
    assert [(s.method, s.path, s.problems) for s in zrc.rejected()] == []
    for seen in zrc.seen:
        headers = {k.lower(): v for k, v in seen.headers.items()}
        assert headers["accept-crs"] == headers["content-crs"] == CRS
        assert headers["authorization"].startswith("Bearer ")


def test_a_fixed_plan_becomes_one_zaak_with_its_statuses_and_its_result(any_zgw_app, zrc, settings):
    ids = plan_story(any_zgw_app, "plan-zgw-1")
    register_all(any_zgw_app, settings)

    _only_valid_requests(zrc)
    (zaak,) = zrc.zaken.values()
    assert zaak["identificatie"] == "ONSPLAN-plan-zgw-1"
    assert zaak["zaaktype"] == ZAAKTYPE_PLAN
    assert zaak["bronorganisatie"] == zaak["verantwoordelijkeOrganisatie"] == RSIN
    assert zaak["startdatum"] == "2026-11-22"
    assert zaak["vertrouwelijkheidaanduiding"] == "vertrouwelijk"
    statuses = sorted(zrc.statussen.values(), key=lambda s: s["datumStatusGezet"])
    assert [s["statustype"] for s in statuses] == [STATUSTYPES[stage] for stage in
                                                   ("fixed", "help_requested", "care_started", "care_stopped")]
    assert {s["zaak"] for s in statuses} == {zaak["url"]}
    assert zaak["status"] == statuses[-1]["url"]
    (resultaat,) = zrc.resultaten.values()
    assert resultaat["zaak"] == zaak["url"]
    assert resultaat["resultaattype"] == RESULTAATTYPES["partly"]  # goal a achieved, goal b partly
    assert "goal-a: behaald" in resultaat["toelichting"]
    assert "goal-b: deels behaald" in resultaat["toelichting"]
    assert zaak["resultaat"] == resultaat["url"]

    (row,) = zaak_rows(any_zgw_app)
    assert (row.subject_type, row.subject_id, row.url) == ("plan", "plan-zgw-1", zaak["url"])
    assert row.verdicts == {"goal-a": "achieved", "goal-b": "partly"}
    done = registrations(any_zgw_app)
    assert [done[i].status for i in ids] == ["registered"] * 6
    assert [done[i].url for i in ids[:4]] == [s["url"] for s in statuses]
    assert done[ids[5]].url == resultaat["url"]
    # One POST per resource made, and the second verdict updated the Resultaat in place
    posts = [(s.method, s.resource) for s in zrc.seen if s.method in ("POST", "PUT")]
    assert posts.count(("POST", "zaken")) == 1
    assert posts.count(("POST", "resultaten")) == 1
    assert posts.count(("PUT", "resultaten")) == 1


def test_a_plan_fixed_before_the_adapter_gets_its_zaak_with_its_first_event(any_plan_app, zrc, settings):
    register_all(any_plan_app, settings)
    _only_valid_requests(zrc)
    (zaak,) = zrc.zaken.values()
    with any_plan_app.app_context():
        first = db.session.exec(select(OutboxEvent).order_by(OutboxEvent.id)).first()
    assert zaak["identificatie"] == f"ONSPLAN-{first.aggregate_id}"
    assert zaak["startdatum"] == mapping.local_date(first.payload["confirmed_at"]).isoformat()
    assert sorted(s["statustype"] for s in zrc.statussen.values()) == sorted(
        [STATUSTYPES["help_requested"]] * 2 + [STATUSTYPES["care_started"], STATUSTYPES["care_stopped"]])


def test_a_complaint_about_the_municipality_becomes_its_own_zaak(any_plan_app, zrc, settings):
    with any_plan_app.test_request_context():
        people = demo_people(db.session)
        kompas = db.session.exec(select(Provider).where(Provider.external_id == "demo-p000")).one()
        complaint = complaint_services.file_complaint(
            db.session, person=people["tom"], about=[f"provider:{kompas.id}", "professional"],
            text="De ôfspraken waarden trije kear ôfsein.", client_id="client-tom-zgw-0001")
        db.session.commit()
        parts = {p.subject: p for p in complaint.parts}
        event = db.session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "complaint.filed")).one()
    assert event.aggregate_id == complaint.id
    assert [p["subject"] for p in event.payload["parts"]] == ["professional"]  # not the provider's part
    assert "De ôfspraken" not in str(event.payload)
    assert people["tom"].id not in str(event.payload)

    register_all(any_plan_app, settings)
    _only_valid_requests(zrc)
    (zaak,) = [z for z in zrc.zaken.values() if z["zaaktype"] == ZAAKTYPE_COMPLAINT]
    assert zaak["identificatie"] == f"ONSPLAN-{complaint.number}"
    assert zaak["uiterlijkeEinddatumAfdoening"] == parts["professional"].decide_by.isoformat()
    assert zaak["omschrijving"] == "Klacht over de jeugdprofessional"
    assert "ôfspraken" not in str(zaak)
    (status,) = [s for s in zrc.statussen.values() if s["zaak"] == zaak["url"]]
    assert status["statustype"] == STATUSTYPES["complaint_received"]
    assert {(r.subject_type, r.subject_id) for r in zaak_rows(any_plan_app)} >= {("complaint", complaint.id)}


def test_a_complaint_only_about_a_provider_is_not_sent(plan_app):
    with plan_app.test_request_context():
        people = demo_people(db.session)
        kompas = db.session.exec(select(Provider).where(Provider.external_id == "demo-p000")).one()
        complaint_services.file_complaint(db.session, person=people["tom"], about=[f"provider:{kompas.id}"],
                                          text="Te faak ôfsein.", client_id="client-tom-zgw-0002")
        db.session.commit()
        assert db.session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "complaint.filed")).all() == []


def test_a_lost_answer_to_the_zaak_does_not_make_a_second_zaak(any_zgw_app, zrc, settings):
    zrc.lose_next_answer("POST", "zaken")
    emit(any_zgw_app, "plan.fixed", plan_fixed("plan-lost"))
    register_all(any_zgw_app, settings)
    assert len(zrc.zaken) == 1  # the ZRC made it, but we never heard
    assert zaak_rows(any_zgw_app) == []
    (row,) = registrations(any_zgw_app).values()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "502" in row.note

    make_due(any_zgw_app)
    register_all(any_zgw_app, settings)
    assert len(zrc.zaken) == 1
    (zaak,) = zrc.zaken.values()
    assert [r.url for r in zaak_rows(any_zgw_app)] == [zaak["url"]]
    assert [(s.method, s.resource) for s in zrc.seen].count(("POST", "zaken")) == 1
    assert len(zrc.statussen) == 1
    assert [r.status for r in registrations(any_zgw_app).values()] == ["registered"]


def test_a_failed_status_is_retried_on_the_same_zaak_and_a_lost_one_is_not_set_twice(any_zgw_app, zrc, settings):
    zrc.page_size = 1  # the status lookup has to follow the pages
    emit(any_zgw_app, "plan.fixed", plan_fixed("plan-retry"))
    emit(any_zgw_app, "care.started", care_started("plan-retry", "goal-a"))
    emit(any_zgw_app, "care.started", care_started("plan-retry", "goal-b", at="2026-12-03T10:00:00+00:00"))
    zrc.fail_next("POST", "statussen")  # the plan's first status is refused for now, after its Zaak was made
    register_all(any_zgw_app, settings)
    assert len(zrc.zaken) == 1
    assert len(zaak_rows(any_zgw_app)) == 1
    assert zrc.statussen == {}
    assert sorted(r.status for r in registrations(any_zgw_app).values()) == ["pending"]  # the rest waits behind it

    make_due(any_zgw_app)
    zrc.lose_next_answer("POST", "statussen", skip=2)  # fixed and goal a are answered; goal b's answer is lost
    register_all(any_zgw_app, settings)
    assert len(zrc.statussen) == 3
    assert sorted(r.status for r in registrations(any_zgw_app).values()) == ["pending", "registered", "registered"]

    make_due(any_zgw_app)
    register_all(any_zgw_app, settings)
    assert len(zrc.statussen) == 3  # found on the lookup's second page, not set again
    assert any(s.resource == "statussen" and s.query.get("page") == ["2"] for s in zrc.seen)
    assert sorted(s["statustype"] for s in zrc.statussen.values()) == sorted(
        [STATUSTYPES["fixed"], STATUSTYPES["care_started"], STATUSTYPES["care_started"]])
    calls = [(s.method, s.resource) for s in zrc.seen]
    assert calls.count(("POST", "zaken")) == 1
    assert calls.count(("GET", "zaken")) == 1  # after that the Zaak came from zgw_zaak, not from the ZRC
    assert {r.status for r in registrations(any_zgw_app).values()} == {"registered"}
    _only_valid_requests(zrc)


def test_the_fake_refuses_a_request_without_accept_crs(lite_app, zrc, settings, monkeypatch):
    headers = ZrcClient.headers
    monkeypatch.setattr(ZrcClient, "headers", lambda self, **kw: {
        k: v for k, v in headers(self, **kw).items() if k != "Accept-Crs"})
    emit(lite_app, "plan.fixed", plan_fixed("plan-crs"))
    register_all(lite_app, settings)
    assert zrc.zaken == {}
    (refused,) = zrc.rejected()
    assert (refused.method, refused.status) == ("GET", 412)
    assert refused.problems == ["412 Accept-Crs: header is missing"]
    (row,) = registrations(lite_app).values()
    assert row.status == "dead"  # 412: the request itself is wrong, trying again cannot help
    assert "412" in row.note


def test_the_fake_refuses_another_crs_and_checks_the_jwt(zrc, settings):
    good = ZrcClient(settings).headers()
    body = mapping.registration("plan.fixed", plan_fixed("plan-x"), settings).zaak
    other_crs = requests.post(f"{zrc.url}/zaken", json=body, timeout=5,
                              headers={**good, "Content-Type": "application/json", "Content-Crs": "EPSG:28992"})
    assert other_crs.status_code == 406
    no_crs = requests.post(f"{zrc.url}/zaken", json=body, timeout=5, headers={
        **{k: v for k, v in good.items() if k != "Accept-Crs"}, "Content-Type": "application/json"})
    assert no_crs.status_code == 412
    no_jwt = requests.post(f"{zrc.url}/zaken", json=body, timeout=5,
                           headers={**good, "Content-Type": "application/json", "Authorization": ""})
    assert no_jwt.status_code == 401
    wrong_secret = ZrcClient(settings_for(zrc.url, ZGW_SECRET="not-the-secret-the-zrc-knows")).headers()
    forged = requests.post(f"{zrc.url}/zaken", json=body, timeout=5,
                           headers={**wrong_secret, "Content-Type": "application/json"})
    assert forged.status_code == 403
    assert zrc.zaken == {}
    assert ZrcClient(settings).create("zaken", body)["identificatie"] == "ONSPLAN-plan-x"


@pytest.mark.parametrize(("builder", "field", "resource"), [
    ("zaak_request", "startdatum", "zaken"),
    ("zaak_request", "bronorganisatie", "zaken"),
    ("zaak_request", "zaaktype", "zaken"),
    ("zaak_request", "verantwoordelijkeOrganisatie", "zaken"),
    ("status_request", "statustype", "statussen"),
    ("status_request", "datumStatusGezet", "statussen"),
    ("resultaat_request", "resultaattype", "resultaten"),
])
def test_a_required_field_the_mapping_leaves_out_is_refused(lite_app, zrc, settings, monkeypatch, builder, field,
                                                           resource):
    original = getattr(mapping, builder)

    def without(*args, **kwargs):
        body = original(*args, **kwargs)
        return {k: v for k, v in body.items() if k != field} if body else body

    monkeypatch.setattr(mapping, builder, without)
    emit(lite_app, "plan.fixed", plan_fixed("plan-short"))
    emit(lite_app, "result.achieved", result("plan-short", "goal-a", "achieved"))
    register_all(lite_app, settings)

    (refused,) = zrc.rejected()
    assert (refused.method, refused.resource, refused.status) == ("POST", resource, 400)
    assert any(f"'{field}' is a required property" in problem for problem in refused.problems)
    stored = {"zaken": zrc.zaken, "statussen": zrc.statussen, "resultaten": zrc.resultaten}[resource]
    assert stored == {}
    assert "dead" in {row.status for row in registrations(lite_app).values()}


def test_the_fake_checks_its_own_answers(zrc, settings, monkeypatch):
    from tests.zgw import fake_zrc

    new_zaak = fake_zrc.FakeZrc._new_zaak

    def without_uuid(self, body):
        zaak = new_zaak(self, body)
        return {k: v for k, v in zaak.items() if k != "uuid"}

    monkeypatch.setattr(fake_zrc.FakeZrc, "_new_zaak", without_uuid)
    body = mapping.registration("plan.fixed", plan_fixed("plan-y"), settings).zaak
    answer = requests.post(f"{zrc.url}/zaken", json=body, timeout=5,
                           headers={**ZrcClient(settings).headers(), "Content-Type": "application/json"})
    assert answer.status_code == 500
    assert zrc.answer_problems == ["POST /zaken/api/v1/zaken → 201: (body): 'uuid' is a required property"]
    zrc.answer_problems.clear()  # (seen: the fixture would fail the test on it)


def test_the_document_knows_the_operations_the_adapter_uses():
    for method, path in (("POST", "/zaken"), ("GET", "/zaken"), ("POST", "/statussen"), ("GET", "/statussen"),
                         ("POST", "/resultaten"), ("GET", "/resultaten"),
                         ("PUT", "/resultaten/4f1e3b8e-1c2d-4e5f-8a9b-0c1d2e3f4a5b")):
        assert contract.operation(method, path) is not None, (method, path)
    assert contract.operation("DELETE", "/statussen") is None
