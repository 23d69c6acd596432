"""The OpenAPI 3.1 document is valid, carries the event schemas, and the docs page is generated from it."""

import re

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from app.outbox.schemas import SCHEMAS as EVENT_SCHEMAS


def test_the_document_is_valid_openapi_3_1(app):
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    doc = response.get_json()
    assert doc["openapi"] == "3.1.0"
    validate(doc)  # raises on anything that is not OpenAPI 3.1
    broken = {**doc, "paths": {"/x": {"get": {"responses": {"200": {"content": "nope"}}}}}}
    try:
        validate(broken)
    except OpenAPIValidationError:
        pass
    else:
        raise AssertionError("the validator accepts a broken document")


def test_every_route_of_the_api_is_documented(app):
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    documented = {(method.upper(), path) for path, item in doc["paths"].items() for method in item
                  if method != "parameters"}
    routes = {(method, re.sub(r"<([^>:]+:)?([^>]+)>", r"{\2}", rule.rule.removeprefix("/api/v1")))
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
              and rule.endpoint not in ("api.openapi", "api.docs", "api.unknown")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == documented


def test_the_event_payload_schemas_are_components_with_their_webhooks(app):
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    for event, schema in EVENT_SCHEMAS.items():
        named = [s for s in schemas.values() if s.get("x-event-type") == event]
        assert len(named) == 1, event
        assert named[0]["properties"] == schema["properties"]
        assert named[0]["required"] == schema["required"]
        assert doc["webhooks"][event]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"] \
            .endswith("/Event" + "".join(p.title() for p in event.replace(".", "_").split("_")))
    care_stopped = schemas["EventCareStopped"]["properties"]["stop_reason"]
    assert "31" in care_stopped["enum"]
    assert "JZ588" in care_stopped["description"]


def test_the_docs_page_lists_every_operation_and_schema_without_outside_resources(app):
    client = app.test_client()
    doc = client.get("/api/v1/openapi.json").get_json()
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<html lang="en"' in html
    assert 'href="#main"' in html
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                assert f'id="{operation["operationId"]}"' in html
                assert path in html
    for name in doc["components"]["schemas"]:
        assert f'id="schema-{name}"' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # no CDN: scripts, styles and fonts are our own
    assert "<script" not in html
    assert html.count("<h1") == 1
    assert all('<th scope="col">' in table for table in html.split("<table")[1:])


def test_unknown_paths_and_methods_answer_with_problems(app):
    client = app.test_client()
    missing = client.get("/api/v1/nothing-here")
    assert (missing.status_code, missing.mimetype) == (404, "application/problem+json")
    wrong = client.get("/api/v1/catalog")
    assert (wrong.status_code, wrong.headers["Allow"]) == (405, "PUT")
    assert wrong.get_json()["title"] == "Method not allowed"
