"""PUT /api/v1/catalog: bulk, idempotent by external id, all or nothing, every failing field named."""

import json
import time

from sqlmodel import func, select

from app.catalog.models import Offer, Provider
from app.extensions import db
from tests.api.conftest import new_id


def provider(i: int = 1, **changes) -> dict:
    return {"id": f"gem-p{i}", "name": f"Jeugdhulp {i}", "agb_code": f"{98100000 + i}", "languages": ["nl", "fy"],
            "contracted_municipalities": ["0080"], "complaint_regime": "jeugdwet", **changes}


def offer(i: int = 1, provider_id: str = "gem-p1", **changes) -> dict:
    return {"id": f"gem-o{i}", "provider_id": provider_id, "name": f"Thuisbegeleiding {i}",
            "description_nl": "Hulp bij het opvoeden, thuis bij het gezin.", "product_category": "45", "form": "home",
            "age_min": 0, "age_max": 18, "waiting_weeks": i % 10, "waiting_updated_on": "2026-11-03",
            "themes": ["opvoeden"], "effective_intervention": False,
            "location": {"address": "Tuinen 1", "postcode": "8911 KD", "city": "Leeuwarden",
                         "municipality_code": "0080"}, **changes}


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.exec(select(func.count()).select_from(Offer).where(Offer.external_id.like("gem-%"))).one(),
                db.session.exec(select(func.count()).select_from(Provider)
                                .where(Provider.external_id.like("gem-%"))).one())


def test_put_creates_then_changes_nothing_then_updates(any_api):
    body = {"providers": [provider(1), provider(2)], "offers": [offer(1), offer(2), offer(3, "gem-p2")]}
    first = any_api.call("PUT", "/catalog", body)
    assert first.get_json() == {"providers": 2, "offers": 3, "created": 3, "updated": 0, "unchanged": 0}
    assert any_api.call("PUT", "/catalog", body).get_json()["unchanged"] == 3
    body["offers"][0]["waiting_weeks"] = 7
    assert any_api.call("PUT", "/catalog", body).get_json() == {"providers": 2, "offers": 3, "created": 0,
                                                                "updated": 1, "unchanged": 2}
    assert counts(any_api.app) == (3, 2)


def test_wrong_agb_unknown_category_and_more_are_named_and_nothing_is_stored(any_api):
    body = {"providers": [provider(1, agb_code="1234"), provider(2)],
            "offers": [offer(1), offer(2, "gem-p2", product_category="99"), offer(3, "gem-p9"),
                       offer(4, "gem-p2", location={**offer()["location"], "municipality_code": "0001"}),
                       offer(5, "gem-p2", age_min=12, age_max=4), offer(6, "gem-p2", colour="blue")]}
    response = any_api.call("PUT", "/catalog", body)
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.get_json()["errors"]}
    assert errors["providers[0].agb_code"] == "an AGB code has exactly 8 digits"
    assert errors["offers[1].product_category"].startswith("unknown value '99'")
    assert errors["offers[2].provider_id"] == "no provider with this id in providers"
    assert errors["offers[5].colour"] == "unknown field: leave it out"
    assert counts(any_api.app) == (0, 0)
    # the importer's own checks come next, once the shape is right
    body = {"providers": [provider(2)], "offers": [offer(4, "gem-p2", location={**offer()["location"],
                                                                                 "municipality_code": "0001"}),
                                                   offer(5, "gem-p2", age_min=12, age_max=4)]}
    errors = {e["field"]: e["message"] for e in any_api.call("PUT", "/catalog", body).get_json()["errors"]}
    assert "unknown municipality code 0001" in errors["offers[0].location.municipality_code"]
    assert errors["offers[1].age_max"] == "the highest age is lower than the lowest age"
    assert counts(any_api.app) == (0, 0)


def test_envelope_problems(api):
    cases = [({"providers": []}, ["offers"]), ({"providers": {}, "offers": []}, ["providers"]),
             ({"providers": [], "offers": [], "mode": "replace"}, ["mode"]),
             ({"providers": [provider(1), provider(1)], "offers": []}, ["providers[1].id"])]
    for body, fields in cases:
        response = api.call("PUT", "/catalog", body)
        assert response.status_code == 422
        assert [e["field"] for e in response.get_json()["errors"]] == fields
    not_json = api.call("PUT", "/catalog", raw=b"{not json")
    assert not_json.status_code == 422
    assert "not valid JSON" in not_json.get_json()["detail"]
    form = api.call("PUT", "/catalog", raw=b"a=b", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 415


def test_a_duplicate_request_id_returns_the_first_answer(any_api):
    request_id = new_id()
    body = {"request_id": request_id, "providers": [provider(1)], "offers": [offer(1)]}
    first = any_api.call("PUT", "/catalog", body)
    assert first.get_json()["created"] == 1
    second = any_api.call("PUT", "/catalog", body)
    assert second.get_json() == first.get_json()  # created: 1 again, not unchanged: the answer was kept
    other = any_api.call("PUT", "/catalog", {**body, "offers": [offer(2)]})
    assert other.status_code == 422
    assert other.get_json()["errors"][0]["field"] == "request_id"


def test_a_10_mb_body_is_refused_with_413_before_it_is_read(api):
    big = b'{"providers": [], "offers": [' + b" " * (10 * 1024 * 1024) + b"]}"
    response = api.call("PUT", "/catalog", raw=big)
    assert response.status_code == 413
    assert response.get_json()["title"] == "Request body too large"
    small = api.call("POST", "/assignments/x/decision", raw=b'{"x": "' + b"a" * 70_000 + b'"}')
    assert small.status_code == 413  # the small endpoints take 64 KB


def test_10000_offers_in_one_put(any_api, record_property):
    providers = [provider(i) for i in range(1, 101)]
    offers = [offer(i, f"gem-p{i % 100 + 1}") for i in range(10_000)]
    raw = json.dumps({"providers": providers, "offers": offers}).encode()
    assert len(raw) < any_api.app.config["API_MAX_CATALOG_BYTES"]
    started = time.perf_counter()
    response = any_api.call("PUT", "/catalog", raw=raw)
    took = time.perf_counter() - started
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"providers": 100, "offers": 10_000, "created": 10_000, "updated": 0,
                                   "unchanged": 0}
    started = time.perf_counter()
    assert any_api.call("PUT", "/catalog", raw=raw).get_json()["unchanged"] == 10_000
    again = time.perf_counter() - started
    record_property("seconds", {"create": round(took, 1), "unchanged": round(again, 1), "bytes": len(raw)})
    print(f"\n10,000 offers ({len(raw):,} bytes): create {took:.1f} s, unchanged {again:.1f} s")
    assert counts(any_api.app) == (10_000, 100)
    assert took < 120
    assert again < 120
