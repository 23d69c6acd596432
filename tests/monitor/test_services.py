"""The monitor's figures on a small hand-made region (tests/monitor/conftest.py), on SQLite and PostgreSQL."""

from collections import Counter
from datetime import date

import pytest
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.core.errors import NotAllowed, NotFound
from app.demo.services import demo_people
from app.extensions import db
from app.identity.models import Municipality, Person
from app.monitor import services
from app.monitor.figures import Cell, WorkingDays, collect, median_cell, month_starts
from tests import factories
from tests.monitor.conftest import APRIL, MARCH, add_staff


def figures(flask_app, category: str = "", codes=("0080",)):
    with flask_app.test_request_context(), db.new_session() as session:
        ids = [m.id for m in session.exec(select(Municipality).where(Municipality.cbs_code.in_(codes)))]
        return collect(session, municipality_ids=ids, months=[date(2026, 2, 1), MARCH, APRIL], category=category)


def test_each_figure_of_march_is_what_the_data_says(region_app):
    found = figures(region_app)
    february, march, april = found.months
    assert (february.plans_active, march.plans_active) == (Cell(None, 3), Cell(7.0, 7))  # 3 is below the minimum
    assert march.plans_fixed == Cell(5.0, 5)
    assert march.decided_on_time == Cell(4 / 7, 7)
    assert march.lead_days == Cell(5.0, 7)  # 0, 1, 4, 5, 6, 10 and 20 working days
    assert march.achieved == Cell(3 / 5, 5)
    assert march.verdicts["partly"] == Cell(1 / 5, 5)
    assert march.verdicts["not_achieved"] == Cell(1 / 5, 5)
    assert march.usefulness == Cell(8.0, 5)
    assert march.dropout == Cell(2 / 5, 5)
    assert march.complaints_on_time == Cell(4 / 5, 5)
    assert april.plans_active == Cell(7.0, 7)
    assert april.decided_on_time == Cell(None, 0)
    waits = {w.category: w for w in found.waiting}
    assert waits["45"].realised_days == Cell(14.0, 5)
    assert waits["54"].realised_days == Cell(None, 0)  # its one request was decided but care did not start
    assert waits["45"].offers >= 1
    assert waits["45"].stated_weeks is not None


def test_sync_health_counts_the_outbox(region_app):
    sync = figures(region_app).sync
    assert (sync.pending, sync.retrying, sync.delivered, sync.dead) == (2, 1, 3, 1)
    assert 2.9 * 3600 < sync.oldest_pending.total_seconds() < 3.1 * 3600


def test_cells_below_five_are_suppressed(region_app):
    march = figures(region_app, category="54").months[1]
    assert march.decided_on_time.suppressed
    assert march.decided_on_time.value is None
    assert march.lead_days == Cell(None, 1)
    assert march.plans_active == Cell(7.0, 7)  # plans have no category: the filter leaves them alone


def test_category_filter_keeps_only_that_help(region_app):
    march = figures(region_app, category="45").months[1]
    assert march.decided_on_time == Cell(4 / 6, 6)  # the category 54 decision is not among them
    assert march.lead_days == Cell(4.5, 6)
    assert {w.category for w in figures(region_app, category="45").waiting} == {"45"}


def test_region_adds_up_municipalities(region_app):
    march = figures(region_app, codes=("0080", "0090")).months[1]
    assert march.plans_active == Cell(9.0, 9)
    assert march.plans_fixed == Cell(6.0, 6)
    assert march.decided_on_time == Cell(4 / 8, 8)  # Smallingerland's decision took four weeks


def test_working_days_skip_weekends_and_easter_monday():
    calendar = WorkingDays(date(2026, 3, 30), date(2026, 4, 30))
    assert calendar.deadline(date(2026, 4, 2)) == date(2026, 4, 10)  # Easter Monday 6 April is no working day
    assert calendar.between(date(2026, 4, 2), date(2026, 4, 10)) == 5
    assert calendar.between(date(2026, 4, 3), date(2026, 4, 6)) == 0


def test_median_of_counts():
    assert median_cell(Counter({1: 2, 9: 3})) == Cell(9.0, 5)
    assert median_cell(Counter({1: 3, 9: 3})) == Cell(5.0, 6)
    assert median_cell(Counter({1: 4})) == Cell(None, 4)


def test_month_starts_cross_the_year():
    assert month_starts(date(2025, 11, 20), date(2026, 2, 3)) == [date(2025, 11, 1), date(2025, 12, 1),
                                                                  date(2026, 1, 1), date(2026, 2, 1)]


def test_monitor_logs_the_view_on_the_system_chain(region_app):
    filters = services.Filters(MARCH, APRIL)
    with region_app.test_request_context(), db.new_session() as session:
        jeroen = demo_people(session)["jeroen"]
        services.monitor(session, person=jeroen, filters=filters)
        services.monitor(session, person=jeroen, filters=filters, export=True)
        entries = session.exec(select(AccessLogEntry).where(AccessLogEntry.object_type == "monitor")
                               .order_by(AccessLogEntry.id)).all()
    assert [(e.event, e.chain, e.family_id, e.actor_id, e.object_id) for e in entries] == [
        ("monitor.view", "system", None, jeroen.id, "0080"), ("monitor.export", "system", None, jeroen.id, "0080")]
    assert entries[0].detail == "2026-03..2026-04 category=all"


def test_only_municipality_staff_of_their_own_municipality(region_app):
    filters = services.Filters(MARCH, APRIL)
    ours, other = add_staff(region_app, "0080"), add_staff(region_app, "0090")
    editor = add_staff(region_app, "0080", role="editor")
    with region_app.test_request_context(), db.new_session() as session:
        world = factories.family(session, youth_ages=[14])  # a family of Leeuwarden, its professional, a provider
        goal, _actions = factories.goal_with_actions(session, plan=world.plan, author=world.professional,
                                                     youth=world.youths[0])
        organisation, offer = factories.provider(session)
        factories.assign(session, plan=world.plan, goal=goal, offer=offer, chosen_by=world.parents[0],
                         professional_person=world.professional)
        provider_staff = factories.staff(session, organisation=organisation, role="provider_staff")
        for person in (world.parents[0], world.youths[0], world.professional, provider_staff,
                       session.get(Person, editor)):
            with pytest.raises(NotAllowed):
                services.monitor(session, person=person, filters=filters)
        with pytest.raises(NotFound):
            services.monitor(session, person=session.get(Person, ours),
                             filters=services.Filters(MARCH, APRIL, "0090"))
        assert [m.cbs_code for m in services.monitor(session, person=session.get(Person, ours),
                                                     filters=filters).municipalities] == ["0080"]
        theirs = services.monitor(session, person=session.get(Person, other), filters=filters)
    assert [m.cbs_code for m in theirs.municipalities] == ["0090"]
    assert theirs.figures.months[0].plans_active == Cell(None, 2)


def test_csv_rows_hide_small_cells_and_carry_no_names(region_app):
    with region_app.test_request_context(), db.new_session() as session:
        jeroen = demo_people(session)["jeroen"]
        found = services.monitor(session, person=jeroen, filters=services.Filters(date(2026, 2, 1), MARCH))
    rows = services.csv_rows(found)
    assert rows[0] == services.CSV_HEADER
    by_key = {(r[0], r[2], r[3]): r for r in rows[1:]}
    assert by_key[("2026-02", "plans_active", "")][4:] == ("", "", "fewer_than_5")
    assert by_key[("2026-03", "plans_active", "")][4:] == (7, 7, "")
    assert by_key[("2026-03", "decided_on_time", "")][4:] == (0.571, 7, "")
    assert by_key[("2026-03", "usefulness", "")][4:] == (8, 5, "")
    assert by_key[("2026-02/2026-03", "waiting_realised_days_median", "45")][4:] == (14, 5, "")
    assert by_key[("now", "sync_pending", "")][4] == 2


def test_going_on_without_help_is_a_share_per_answer_suppressed_below_five(region_app):
    from tests.monitor.conftest import Builder

    with region_app.test_request_context(), db.new_session() as session:
        b = Builder(session)
        for independence in ("04", "04", "03", "02", "01"):
            b.answer(7, date(2026, 4, 8), independence=independence)
        b.answer(7, date(2026, 2, 8), independence="04")
        session.commit()
    february, march, april = figures(region_app).months
    assert march.independence["02"] == Cell(1.0, 5)  # the region's five March answers all say "02"
    assert march.without_help == Cell(0.0, 5)
    assert april.independence == {"01": Cell(0.2, 5), "02": Cell(0.2, 5), "03": Cell(0.2, 5), "04": Cell(0.4, 5)}
    assert april.without_help == Cell(0.6, 5)  # "03" and "04": yes, for now or for good
    assert february.without_help == Cell(None, 1)
    assert february.independence["04"].suppressed
    with region_app.test_request_context(), db.new_session() as session:
        jeroen = demo_people(session)["jeroen"]
        found = services.monitor(session, person=jeroen, filters=services.Filters(date(2026, 2, 1), APRIL))
    by_key = {(r[0], r[2]): r for r in services.csv_rows(found)[1:]}
    assert by_key[("2026-04", "without_help")][4:] == (0.6, 5, "")
    assert by_key[("2026-04", "independence_04")][4:] == (0.4, 5, "")
    assert by_key[("2026-02", "independence_04")][4:] == ("", "", "fewer_than_5")
