"""Withheld information (issue 22, point 5; Jeugdwet 7.3.2 lid 4, 7.3.11 lid 3): the professional keeps a part from
the parents of a 12-to-15-year-old only after recording which other professional they consulted and what that
professional thinks. It is logged; the youth reads why and the second opinion, the municipality's auditor sees that
it happened (never what it says), and the parent it is kept from learns nothing."""

from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.extensions import db
from app.plans.models import PlanItem
from tests.conftest import csrf_token, sign_in_person
from tests.dossier.test_destruction import _auditor
from tests.dossier.test_my_data import PARTS
from tests.plans.conftest import signed_in_world

WORRY = "Ik snap wiskunde niet"
REASON = "Tom wil dit eerst zelf vertellen <b>thuis</b>"
CONSULTED = "Hiske de Vries, gedragswetenschapper"
OPINION = "Eens: binnen vier weken samen met Tom. ô 🙂"


def withhold(client, world, item_id: str, **fields):
    url = f"/plan/{world.plan_id}/onderdelen/{item_id}/zichtbaarheid"
    data = {"csrf_token": csrf_token(client, url), "change": "withhold", "reason": REASON, "consulted": CONSULTED,
            "opinion": OPINION, **fields}
    return client.post(url, data=data)


def test_without_a_second_opinion_nothing_is_withheld_and_what_was_typed_stays(any_plan_app):
    world, mark = signed_in_world(any_plan_app, "mark")
    with any_plan_app.app_context():
        worry = db.session.exec(select(PlanItem.id).where(PlanItem.text.startswith(WORRY))).one()
    refused = withhold(mark, world, worry, consulted="  ", opinion="")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Schrijf op welke andere professional je hebt geraadpleegd" in page
    assert "Schrijf op wat de andere professional ervan vindt." in page
    assert "Tom wil dit eerst zelf vertellen &lt;b&gt;thuis&lt;/b&gt;" in page  # kept, escaped
    with any_plan_app.app_context():
        assert db.session.get(PlanItem, worry).withheld_from_parents is False
    assert withhold(mark, world, worry).status_code == 303
    with any_plan_app.app_context():
        item = db.session.get(PlanItem, worry)
        assert (item.withheld_from_parents, item.withheld_consulted, item.withheld_opinion) == (True, CONSULTED,
                                                                                               OPINION)
        logged = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "item.withhold",
                                                              AccessLogEntry.object_id == worry)).one()
        assert logged.detail == "second opinion recorded"
        assert OPINION not in logged.detail


def test_the_youth_reads_why_and_the_parent_learns_nothing(plan_app):
    world, mark = signed_in_world(plan_app, "mark")
    with plan_app.app_context():
        worry = db.session.exec(select(PlanItem.id).where(PlanItem.text.startswith(WORRY))).one()
    _, sanne = signed_in_world(plan_app, "sanne")
    plan = f"/plan/{world.plan_id}"
    before = sanne.get("/mijn-gegevens").get_data(as_text=True)
    assert withhold(mark, world, worry).status_code == 303
    _, tom = signed_in_world(plan_app, "tom")
    toms = tom.get(plan).get_data(as_text=True)
    assert f"Tweede mening van {CONSULTED}: {OPINION}" in toms
    assert "Tom wil dit eerst zelf vertellen &lt;b&gt;thuis&lt;/b&gt;" in toms
    for page in (sanne.get(plan).get_data(as_text=True), sanne.get("/mijn-gegevens").get_data(as_text=True)):
        assert WORRY not in page
        assert CONSULTED not in page
    after = sanne.get("/mijn-gegevens").get_data(as_text=True)
    assert PARTS.search(before).group(0) == PARTS.search(after).group(0)  # her counts do not move


def test_the_auditor_sees_that_it_happened_never_what_it_says(plan_app):
    world, mark = signed_in_world(plan_app, "mark")
    with plan_app.app_context():
        worry = db.session.exec(select(PlanItem.id).where(PlanItem.text.startswith(WORRY))).one()
        auditor = _auditor(world)
    withhold(mark, world, worry)
    client = plan_app.test_client()
    sign_in_person(client, auditor)
    page = client.get("/dossierverzoeken").get_data(as_text=True)
    assert CONSULTED in page
    for secret in (WORRY, "Tom wil dit", OPINION, "De Boer"):
        assert secret not in page
    with plan_app.app_context():
        assert db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "dossier.rights_view",
                                                            AccessLogEntry.actor_id == auditor)).first()
