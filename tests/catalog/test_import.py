"""Importing the catalog: good rows load, bad rows are reported with their line, a second import changes nothing."""

import json

from sqlmodel import select

from app.catalog.importer import import_catalog, read_file
from app.catalog.models import Location, Offer, Provider, ProviderContract, ProviderLanguage
from app.extensions import db
from app.identity.models import Organisation
from tests.catalog.conftest import BASE, SMALL_CATALOG, load, row

HEADER = list(BASE)


def csv_bytes(rows: list[dict], *, newline: str = "\n", bom: bool = False, header: list[str] = HEADER) -> bytes:
    """A CSV file as a municipality might send it."""
    lines = [",".join(header)] + [",".join(_quote(r.get(name, "")) for name in header) for r in rows]
    text = newline.join(lines) + newline
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def _quote(value: str) -> str:
    return f'"{value}"' if any(ch in value for ch in ',"\n') else value


def offers_by_external_id(app) -> dict[str, Offer]:
    with app.app_context(), db.new_session() as session:
        return {offer.external_id: offer for offer in session.exec(select(Offer)).all()}


def test_good_rows_load_with_provider_location_languages_and_contracts(any_app):
    report = load(any_app, SMALL_CATALOG)
    assert (report.rows, report.loaded, report.created, report.errors) == (5, 5, 5, [])
    with any_app.app_context(), db.new_session() as session:
        provider = session.exec(select(Provider).where(Provider.external_id == "p1")).one()
        assert (provider.name, provider.agb_code, provider.complaint_regime) == ("De Terp Jeugdhulp", "98000101",
                                                                                  "jeugdwet")
        languages = session.exec(select(ProviderLanguage.language).where(ProviderLanguage.provider_id == provider.id))
        assert sorted(languages.all()) == ["fy", "nl"]
        assert len(session.exec(select(ProviderContract).where(ProviderContract.provider_id == provider.id)).all()) == 2
        location = session.exec(select(Location).where(Location.provider_id == provider.id)).one()
        assert (location.postcode, round(location.latitude, 1), round(location.longitude, 1)) == ("8911 KD", 53.2, 5.8)
        organisation = session.get(Organisation, provider.organisation_id)
        assert (organisation.name, organisation.kind) == ("De Terp Jeugdhulp", "provider")


def test_a_provider_joins_an_existing_organisation_of_the_same_name(app):
    with app.app_context(), db.new_session() as session:
        kompas = session.exec(select(Organisation).where(Organisation.name == "Kompas Jeugdhulp Fryslân")).one()
    load(app, [row(provider_name="Kompas Jeugdhulp Fryslân")])
    with app.app_context(), db.new_session() as session:
        assert session.exec(select(Provider)).one().organisation_id == kompas.id


def test_bad_rows_are_reported_with_their_line_and_the_good_rows_still_load(any_app):
    rows = [row(offer_id="good-1"), row(offer_id="bad-agb", provider_id="p9", agb_code="1234567"),
            row(offer_id="good-2", waiting_weeks=4), row(offer_id="bad-age", age_min=12, age_max=8),
            row(offer_id="bad-theme", themes="angst|astrologie"), row(offer_id="bad-cbs", provider_id="p8",
                                                                       agb_code="98000199", location_cbs="9999")]
    report = load(any_app, rows)
    assert report.loaded == 2
    assert [(e.line, e.field) for e in report.errors] == [(3, "agb_code"), (5, "age_max"), (6, "themes"),
                                                          (7, "location_cbs")]
    assert report.errors[0].message == "een AGB-code heeft precies 8 cijfers"
    assert set(offers_by_external_id(any_app)) == {"good-1", "good-2"}


def test_importing_the_same_file_again_changes_nothing(any_app):
    load(any_app, SMALL_CATALOG)
    before = {key: (o.id, o.updated_at) for key, o in offers_by_external_id(any_app).items()}
    report = load(any_app, SMALL_CATALOG)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert {key: (o.id, o.updated_at) for key, o in offers_by_external_id(any_app).items()} == before
    with any_app.app_context(), db.new_session() as session:
        assert len(session.exec(select(Provider)).all()) == 4
        assert len(session.exec(select(Location)).all()) == 4


def test_a_changed_row_updates_the_offer_in_place(any_app):
    load(any_app, SMALL_CATALOG)
    first_id = offers_by_external_id(any_app)["angst-lwd"].id
    report = load(any_app, [{**SMALL_CATALOG[0], "waiting_weeks": "7", "themes": "angst|school"}])
    assert (report.created, report.updated) == (0, 1)
    offer = offers_by_external_id(any_app)["angst-lwd"]
    assert (offer.id, offer.waiting_weeks) == (first_id, 7)


def test_duplicate_offer_ids_keep_the_first_and_report_the_rest(app):
    report = load(app, [row(offer_id="same"), row(offer_id="same", offer_name="Tweede")])
    assert report.loaded == 1
    assert [(e.line, e.field) for e in report.errors] == [(3, "offer_id")]
    assert "regel 2" in report.errors[0].message
    assert offers_by_external_id(app)["same"].name == "Thuisbegeleiding"


def test_a_missing_column_is_reported_on_the_header_line():
    rows, errors = read_file(csv_bytes([row()], header=[h for h in HEADER if h != "agb_code"]), "catalog.csv")
    assert rows == []
    assert [(e.line, e.field) for e in errors] == [(1, "agb_code")]


def test_windows_line_endings_a_bom_and_frysk_diacritics(app):
    frysk = row(offer_id="fy-1", offer_name="Help foar âlden", description_fy="Wy prate mei dy oer dyn bern: ôf, û, ê.",
                provider_name="Sinnekrûd Jeugdhulp")
    rows, errors = read_file(csv_bytes([frysk, row(offer_id="x, mei komma")], newline="\r\n", bom=True,
                                       header=[*HEADER, "description_fy"]), "c.csv")
    assert errors == []
    assert [line for line, _ in rows] == [2, 3]
    assert list(rows[0][1])[0] == "offer_id"  # the BOM is not glued to the first column name
    with app.test_request_context(), db.new_session() as session:
        assert import_catalog(session, rows).errors == []
    offers = offers_by_external_id(app)
    assert offers["fy-1"].name == "Help foar âlden"
    assert offers["fy-1"].description_fy.endswith("ôf, û, ê.")
    assert "x, mei komma" in offers


def test_semicolon_separated_csv_as_excel_writes_it():
    data = csv_bytes([row()]).replace(b",", b";")
    rows, errors = read_file(data, "catalog.csv")
    assert errors == []
    assert rows[0][1]["agb_code"] == "98000101"


def test_json_with_lists_loads_and_numbers_items(app):
    items = [{**row(offer_id="j1"), "themes": ["angst", "school"], "languages": ["nl", "fy"],
              "effective_intervention": True, "age_min": 4}, "not an object"]
    rows, errors = read_file(json.dumps({"offers": items}).encode(), "catalog.json")
    assert [(e.line, e.field) for e in errors] == [(2, "offer")]
    with app.test_request_context(), db.new_session() as session:
        report = import_catalog(session, rows)
    assert report.errors == []
    offer = offers_by_external_id(app)["j1"]
    assert (offer.age_min, offer.is_effective_intervention) == (4, True)


def test_broken_json_is_reported_with_its_line():
    rows, errors = read_file(b'{"offers": [\n{"offer_id": }\n]}', "catalog.json")
    assert rows == []
    assert [(e.line, e.field) for e in errors] == [(2, "json")]


def test_the_complaint_term_is_loaded_and_a_bad_one_is_a_row_error(app):
    rows = [row(offer_id="term-8", complaint_term_weeks=8), row(offer_id="no-term", provider_id="p2",
                                                                 agb_code="98000102", provider_name="Sinnekrûd"),
            row(offer_id="term-27", provider_id="p3", agb_code="98000103", provider_name="Te Lang",
                complaint_term_weeks=27),
            row(offer_id="term-word", provider_id="p4", agb_code="98000104", provider_name="Seis Wiken",
                complaint_term_weeks="zes")]
    report = load(app, rows)
    assert report.loaded == 2
    assert [(e.line, e.field) for e in report.errors] == [(4, "complaint_term_weeks"), (5, "complaint_term_weeks")]
    assert report.errors[0].message == "dit moet tussen 1 en 26 liggen"
    with app.app_context(), db.new_session() as session:
        terms = dict(session.exec(select(Provider.external_id, Provider.complaint_term_weeks)).all())
    assert terms == {"p1": 8, "p2": None}


def test_the_complaint_term_comes_through_json_as_a_number(app):
    rows, errors = read_file(json.dumps({"offers": [{**row(), "complaint_term_weeks": 10}]}).encode(), "c.json")
    assert errors == []
    with app.test_request_context(), db.new_session() as session:
        assert import_catalog(session, rows).errors == []
    with app.app_context(), db.new_session() as session:
        assert session.exec(select(Provider.complaint_term_weeks)).one() == 10
