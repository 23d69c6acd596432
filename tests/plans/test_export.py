"""Taking the plan along: FHIR JSON that validates, a PDF in the reader's language, a print page; all logged.

fhir.resources 8 has no plain R4 models; its R4B models (4.3.0) have the same CarePlan, Goal, CareTeam and
Bundle elements as R4 4.0.1. They check structure, cardinality and datatypes but not code bindings, so the
codes we use are checked against the R4 value sets here.
"""

import json
import subprocess

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.audit.services import verify
from app.extensions import db
from app.identity.models import Family, Membership, Person, StaffMembership
from app.plans.models import Plan
from tests.conftest import sign_in, sign_in_person
from tests.plans.conftest import PlanWorld, signed_in_world

LISA_WORRY = "Ik word heel onrustig voor toetsen"
LISA_GOAL = "Beter omgaan met spanning voor toetsen"
LISA_ACTION = "Afspraak maken met de huisarts over slapen"
TOM_WITHHELD = "Soms durf ik niet te zeggen"
SANNE_STRENGTH = "Wy meitsje alle sneonen tegearre iten"
# R4 value sets (DOMAIN.md §7.1)
REQUEST_STATUS = {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}
GOAL_LIFECYCLE = {"proposed", "planned", "accepted", "active", "on-hold", "completed", "cancelled",
                  "entered-in-error", "rejected"}
ACTIVITY_STATUS = {"not-started", "scheduled", "in-progress", "on-hold", "completed", "cancelled", "stopped",
                   "unknown", "entered-in-error"}
PEOPLE = ("Patient/", "RelatedPerson/", "Practitioner/")


def export(app, key: str, what: str):
    world, client = PlanWorld(app), app.test_client()
    sign_in(client, key)
    return world, client.get(f"/plan/{world.plan_id}/{what}")


def fhir_text(app, key: str) -> str:
    _, response = export(app, key, "plan.fhir.json")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def pdf_text(body: bytes) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=body, capture_output=True, check=True)
    return " ".join(text.stdout.decode().split())


def test_fhir_bundle_validates_and_keeps_to_the_r4_codes(any_plan_app):
    _, response = export(any_plan_app, "mark", "plan.fhir.json")
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    Bundle.model_validate(data)
    for entry in data["entry"]:
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])
    assert data["type"] == "collection"
    by_type = {}
    for entry in data["entry"]:
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    (plan,), goals, (team,) = by_type["CarePlan"], by_type["Goal"], by_type["CareTeam"]
    assert plan["status"] == "draft"  # the demo plan waits for agreement: not active yet
    assert plan["status"] in REQUEST_STATUS
    assert plan["intent"] == "plan"
    assert plan["subject"]["reference"].startswith("Group/")
    assert {goal["lifecycleStatus"] for goal in goals} <= GOAL_LIFECYCLE
    lifecycle = {goal["description"]["text"]: goal["lifecycleStatus"] for goal in goals}
    assert lifecycle["Tom gaat weer met plezier naar school"] == "proposed"  # Tom does not agree yet
    assert lifecycle["Vaste afspraken over wisselen tussen de huizen"] == "accepted"  # everyone agreed
    assert all(goal["achievementStatus"]["coding"][0]["code"] == "in-progress" for goal in goals)
    details = [activity["detail"] for activity in plan["activity"]]
    assert {detail["kind"] for detail in details} == {"Task"}
    assert {detail["status"] for detail in details} == {"completed", "not-started"}
    assert {"completed", "not-started"} <= ACTIVITY_STATUS
    full_urls = {entry["fullUrl"] for entry in data["entry"]}
    internal = [ref["reference"] for ref in plan["goal"] + plan["careTeam"]]
    internal += [ref["reference"] for detail in details for ref in detail.get("goal", [])]
    assert set(internal) <= full_urls  # every link inside the bundle resolves
    people = [p["member"]["reference"] for p in team["participant"]] + [c["reference"] for c in plan["contributor"]]
    people += [goal["expressedBy"]["reference"] for goal in goals]
    assert all(ref.startswith(PEOPLE) for ref in people)


def test_parent_export_leaves_out_what_parents_may_not_see(plan_app):
    sanne = fhir_text(plan_app, "sanne")
    assert SANNE_STRENGTH in sanne
    for private in (LISA_WORRY, LISA_GOAL, LISA_ACTION, TOM_WITHHELD):
        assert private not in sanne
    tom = fhir_text(plan_app, "tom")
    assert TOM_WITHHELD in tom
    assert LISA_WORRY not in tom
    mark = fhir_text(plan_app, "mark")
    for text in (LISA_WORRY, LISA_GOAL, LISA_ACTION, TOM_WITHHELD):
        assert text in mark


def test_what_parents_may_not_see_is_labelled_restricted(plan_app):
    def labels(key):
        resources = [entry["resource"] for entry in json.loads(fhir_text(plan_app, key))["entry"]]
        return {(r["resourceType"], r.get("description", {}).get("text")): [
            c["code"] for c in r.get("meta", {}).get("security", [])] for r in resources}

    mark = labels("mark")
    assert mark["Goal", LISA_GOAL] == ["R"]
    assert mark["CarePlan", None] == ["R"]  # it holds restricted parts, so the whole plan is restricted
    assert all(codes == [] for (kind, text), codes in mark.items() if kind == "Goal" and text != LISA_GOAL)
    sanne = labels("sanne")
    assert all(codes == [] for codes in sanne.values())  # the parents' own export holds nothing restricted


def test_export_has_no_birth_dates_and_speaks_the_readers_language(plan_app):
    text = fhir_text(plan_app, "sanne")
    with plan_app.app_context():
        birthdates = [p.birthdate.isoformat() for p in db.session.exec(select(Person)).all() if p.birthdate]
    assert birthdates
    assert not any(day in text for day in birthdates)
    assert "birthDate" not in text
    team = next(e["resource"] for e in json.loads(text)["entry"] if e["resource"]["resourceType"] == "CareTeam")
    assert team["language"] == "fy"
    roles = {p["member"]["display"]: p["role"][0]["text"] for p in team["participant"]}
    assert roles["Mark Visser"] == "jeugdprofessional"
    assert roles["Tom de Boer"] == "jongere"


def test_pdf_is_in_the_readers_language_without_private_text(plan_app):
    _, response = export(plan_app, "sanne", "plan.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="gezinsplan.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data.startswith(b"%PDF")
    text = pdf_text(response.data)
    assert SANNE_STRENGTH in text
    assert "Wat giet goed" in text  # the section heading in Frysk
    assert "Gesinsplan De Boer-Hoekstra" in text
    for line in ("112", "0800-2000", "0800-0432", "113", "Veilig Thuis"):
        assert line in text
    for private in (LISA_WORRY, LISA_GOAL, TOM_WITHHELD):
        assert private not in text


@pytest.fixture
def other_professional(plan_app) -> str:
    """A professional of another family (with its own plan), in the same team as Mark."""
    with plan_app.app_context(), db.new_session() as session:
        mark = session.exec(select(Person).where(Person.given_name == "Mark")).one()
        team = session.exec(select(StaffMembership).where(StaffMembership.person_id == mark.id)).one()
        anna = Person(given_name="Anna", family_name="Smit")
        demo = session.exec(select(Family).where(Family.name == "De Boer-Hoekstra")).one()
        other = Family(name="Other family", municipality_id=demo.municipality_id)
        session.add_all([anna, other])
        session.flush()
        session.add_all([StaffMembership(organisation_id=team.organisation_id, person_id=anna.id, role="professional"),
                         Membership(family_id=other.id, person_id=anna.id, role="professional"),
                         Plan(family_id=other.id)])
        session.commit()
        return anna.id


def test_print_page_for_family_members_and_404_for_another_familys_professional(plan_app, other_professional):
    world = PlanWorld(plan_app)
    for key in ("sanne", "tom", "noor", "fenna", "mark"):
        _, response = export(plan_app, key, "afdrukken")
        assert response.status_code == 200, key
    _, response = export(plan_app, "sanne", "afdrukken")
    html = response.get_data(as_text=True)
    assert SANNE_STRENGTH in html
    assert "Wat giet goed" in html
    assert LISA_WORRY not in html
    assert TOM_WITHHELD not in html
    assert 'media="print"' in html
    assert "css/print.css" in html
    assert "<style" not in html
    assert " style=" not in html  # the CSP allows no inline styles on served pages
    client = plan_app.test_client()
    sign_in_person(client, other_professional)
    for what in ("afdrukken", "plan.pdf", "plan.fhir.json"):
        assert client.get(f"/plan/{world.plan_id}/{what}").status_code == 404


def test_every_export_is_in_the_access_log(plan_app):
    world, client = signed_in_world(plan_app, "sanne")
    for what in ("afdrukken", "plan.pdf", "plan.fhir.json"):
        assert client.get(f"/plan/{world.plan_id}/{what}").status_code == 200
    with plan_app.app_context():
        entries = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "plan.export")).all()
        assert {(e.detail, e.action, e.actor_id, e.object_id) for e in entries} == {
            (channel, "read", world.people["sanne"], world.plan_id) for channel in ("print", "pdf", "fhir")}
        assert verify(db.session) == []


FHIR_LINK = {"nl": "Downloaden voor een ander zorgsysteem (FHIR)", "fy": "Downloade foar in oar soarchsysteem (FHIR)",
             "en": "Download for another care system (FHIR)"}


@pytest.mark.parametrize("lang", ["nl", "fy", "en"])
def test_the_plan_and_its_print_page_offer_the_fhir_export_next_to_print_and_pdf(plan_app, lang):
    world, client = signed_in_world(plan_app, "mark")
    link = (f'<a href="/plan/{world.plan_id}/plan.fhir.json" download="gezinsplan.fhir.json">'
            f"{FHIR_LINK[lang]}</a>")
    plan_page = client.get(f"/plan/{world.plan_id}?lang={lang}").get_data(as_text=True)
    export_line = next(line for line in plan_page.splitlines() if 'class="plan-export"' in line)
    assert "/afdrukken" in export_line
    assert "/plan.pdf" in export_line
    assert link in export_line
    assert link in client.get(f"/plan/{world.plan_id}/afdrukken?lang={lang}").get_data(as_text=True)


@pytest.mark.parametrize("key", ["sanne", "tom", "erik"])
def test_everyone_who_may_export_finds_the_fhir_link_and_it_works(plan_app, key):
    world, client = signed_in_world(plan_app, key)
    page = client.get(f"/plan/{world.plan_id}").get_data(as_text=True)
    assert f'href="/plan/{world.plan_id}/plan.fhir.json"' in page
    assert client.get(f"/plan/{world.plan_id}/plan.fhir.json").status_code == 200
