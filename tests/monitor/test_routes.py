"""The monitor page and its CSV: who gets them, what they show, filters, and no personal data."""

import csv
import io
import re

import pytest
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.extensions import db
from app.identity.models import Municipality
from tests import factories
from tests.catalog.conftest import demo_app  # noqa: F401  (the full demo, shared by this module)
from tests.conftest import sign_in, sign_in_person
from tests.monitor.conftest import add_staff

NAMES = ("De Boer", "Hoekstra", "Bouma", "Kramer", "Veenstra", "Yilmaz", "Dijkstra", "Sanne", "Noor")


@pytest.fixture
def jeroen(demo_app):  # noqa: F811
    client = demo_app.test_client()
    sign_in(client, "jeroen")
    return client


def test_demo_monitor_shows_this_month_with_charts_and_tables(jeroen):
    response = jeroen.get("/monitor?lang=nl")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('role="img"') == 8
    assert html.count("<table") == 8
    assert "Gezinnen die verder kunnen zonder hulp" in html  # CBS 3.1, "can you go on without help"
    assert 'aria-labelledby="plans-title plans-desc"' in html
    assert '<title id="plans-title">Plannen aan het eind van elke maand</title>' in html
    assert "Te weinig gegevens" in html  # the demo's handful of decisions and verdicts is below the minimum
    assert "<dt>Plannen</dt><dd>12</dd>" in html  # the demo family, the four rated, Mark's five, two at Kompas
    assert not [name for name in NAMES if name in html]


@pytest.mark.parametrize(("language", "words"), [("fy", "Te min gegevens"), ("en", "Too little data")])
def test_monitor_speaks_each_language(jeroen, language, words):
    html = jeroen.get(f"/monitor?lang={language}").get_data(as_text=True)
    assert words in html
    assert f'<html lang="{language}"' in html


def test_csv_has_the_same_figures_without_names(jeroen):
    response = jeroen.get("/monitor.csv?soort=45")
    text = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert rows[0] == ["month", "municipalities", "figure", "product_category", "value", "n", "note"]
    assert {row[3] for row in rows[1:] if row[0] != "now"} == {"45"}
    assert len({row[0] for row in rows[1:] if row[2] == "plans_active"}) == 12  # the last 12 months
    assert not [name for name in NAMES if name in text]
    suppressed = [row for row in rows if row[6] == "fewer_than_5"]
    assert suppressed
    assert all(row[4] == "" and row[5] == "" for row in suppressed)


@pytest.mark.parametrize("query", ["van=2026-13", "van=2026-05&tot=2026-01", "van=2023-01&tot=2026-01",
                                   "soort=99", "van=maart"])
def test_wrong_filters_come_back_on_the_form(jeroen, query):
    response = jeroen.get(f"/monitor?{query}&lang=en")
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert jeroen.get(f"/monitor.csv?{query}").status_code == 422


def test_filters_narrow_the_months(jeroen):
    html = jeroen.get("/monitor?van=2026-01&tot=2026-03&lang=en").get_data(as_text=True)
    assert "January 2026" in html
    assert "March 2026" in html
    assert "April 2026" not in html


def test_family_professional_provider_and_redactie_are_refused(bare_app):
    with bare_app.test_request_context(), db.new_session() as session:
        world = factories.family(session, youth_ages=[14])
        organisation, _offer = factories.provider(session)
        people = {"parent": world.parents[0].id, "youth": world.youths[0].id, "professional": world.professional.id,
                  "provider_staff": factories.staff(session, organisation=organisation, role="provider_staff").id}
        municipality = session.exec(select(Municipality)).one().cbs_code
    people["editor"] = add_staff(bare_app, municipality, role="editor")
    people["municipality_staff"] = add_staff(bare_app, municipality)
    for key, person_id in people.items():
        client = bare_app.test_client()
        sign_in_person(client, person_id)
        expected = 200 if key == "municipality_staff" else 403
        assert client.get("/monitor").status_code == expected, key
        assert client.get("/monitor.csv").status_code == expected, key


def test_signed_out_goes_to_sign_in(demo_app):  # noqa: F811
    assert demo_app.test_client().get("/monitor").status_code == 303


def test_another_municipality_is_not_found(bare_app):
    with bare_app.app_context(), db.new_session() as session:
        factories.municipality(session, cbs_code="0080", name="Leeuwarden")
        factories.municipality(session, cbs_code="0090", name="Smallingerland")
    ours, other = bare_app.test_client(), bare_app.test_client()
    sign_in_person(ours, add_staff(bare_app, "0080"))
    assert ours.get("/monitor?gemeente=0080").status_code == 200
    assert ours.get("/monitor?gemeente=0090").status_code == 404
    sign_in_person(other, add_staff(bare_app, "0090"))
    assert other.get("/monitor?gemeente=0080").status_code == 404
    html = other.get("/monitor?lang=nl").get_data(as_text=True)
    assert "Smallingerland" in html
    assert "Leeuwarden" not in html


def test_every_view_is_in_the_access_log(jeroen, demo_app):  # noqa: F811
    def count(event: str) -> int:
        with demo_app.app_context(), db.new_session() as session:
            return len(session.exec(select(AccessLogEntry).where(AccessLogEntry.event == event,
                                                                 AccessLogEntry.chain == "system")).all())

    views, exports = count("monitor.view"), count("monitor.export")
    jeroen.get("/monitor")
    jeroen.get("/monitor.csv")
    assert (count("monitor.view"), count("monitor.export")) == (views + 1, exports + 1)


@pytest.mark.parametrize(("lang", "words"), [("nl", "Alle berichten aan de gemeente"),
                                             ("fy", "Alle berjochten oan de gemeente"),
                                             ("en", "All messages to the municipality")])
def test_jeroens_home_and_monitor_lead_to_the_messages_to_the_municipality(jeroen, lang, words):
    link = re.compile(rf'<a\b[^>]*\bhref="/beheer/sync"[^>]*>{re.escape(words)}</a>')
    assert link.search(jeroen.get(f"/?lang={lang}").get_data(as_text=True))
    monitor = jeroen.get(f"/monitor?lang={lang}").get_data(as_text=True)
    sync_section = monitor.split('id="sync-heading"', 1)[1].split("</section>", 1)[0]
    assert link.search(sync_section)
    assert jeroen.get("/beheer/sync").status_code == 200


def test_only_municipality_staff_get_the_way_to_the_messages(demo_app):  # noqa: F811
    for key in ("mark", "karin", "sanne"):
        client = demo_app.test_client()
        sign_in(client, key)
        assert 'href="/beheer/sync"' not in client.get("/").get_data(as_text=True), key
