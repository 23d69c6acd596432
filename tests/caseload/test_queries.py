"""The work list as provider staff see it: which goals, their status, how a family is named, filters and sorts, the
access log, and a fixed number of queries whatever its length."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.audit.services import verify
from app.caseload.queries import Filters, initials, worklist
from app.core.clock import today
from app.core.errors import NotAllowed
from app.extensions import db
from tests.caseload.conftest import assignment_of, more_families, person
from tests.conftest import sign_in_person

ALL = Filters(scope="all")


def _names(work) -> list[str]:
    return [row.goal_text for row in work.rows]


def test_the_list_holds_every_goal_assigned_to_the_organisation_with_its_status(world):
    with world.app.test_request_context():
        work = worklist(db.session, person=person("Geertje", world), filters=ALL)
        statuses = {row.goal_text: row.status for row in work.rows}
    assert statuses == {"Doel to_start De Vries": "to_start", "Doel in_care De Vries": "in_care",
                        "Doel to_judge Bakker": "to_judge", "Doel stopped Smit": "stopped",
                        "Doel divided Smit": "to_judge", "Doel mine Van der Meer": "to_start"}
    assert work.total == 6  # not the goal only requested, nor the other provider's goal


def test_another_provider_sees_only_its_own_goal_and_the_org_admin_and_the_professional_have_no_list(world):
    with world.app.test_request_context():
        assert _names(worklist(db.session, person=person("Durk", world), filters=ALL)) == ["Doel other Mulder"]
        for key in ("Baukje", "Hiske"):
            with pytest.raises(NotAllowed):
                worklist(db.session, person=person(key, world), filters=ALL)


def test_a_family_is_known_by_its_initials_and_town_until_the_help_starts(world):
    with world.app.test_request_context():
        rows = {row.goal_text: row for row in worklist(db.session, person=person("Geertje", world), filters=ALL).rows}
    waiting, helped = rows["Doel to_start De Vries"], rows["Doel in_care De Vries"]
    assert (waiting.named, waiting.initials, waiting.town) == (False, "D.V.", "Leeuwarden")
    assert helped.named
    assert rows["Doel mine Van der Meer"].initials == "V.D.M."
    assert initials("Gezin De Boer-Hoekstra") == "D.B.-H."
    assert initials("Bouma") == "B."


def test_evaluate_by_is_the_goals_own_date_and_assigned_on_the_start_of_the_assignment(sqlite_world):
    world = sqlite_world
    with world.app.test_request_context():
        rows = {row.goal_text: row for row in worklist(db.session, person=person("Geertje", world), filters=ALL).rows}
    assert rows["Doel to_start De Vries"].evaluate_by == today() + timedelta(days=40)
    assert rows["Doel to_judge Bakker"].evaluate_by is None  # the plan's evaluation is not the provider's to see
    assert rows["Doel to_judge Bakker"].assigned_on == today() - timedelta(days=90)


def test_mine_is_what_i_handle_and_what_nobody_handles_yet(sqlite_world):
    world = sqlite_world
    with world.app.test_request_context():
        geertje = worklist(db.session, person=person("Geertje", world), filters=Filters(scope="mine"))
        hylke = worklist(db.session, person=person("Hylke", world), filters=Filters(scope="mine"))
    assert "Doel in_care De Vries" not in _names(geertje)  # Hylke handles it
    assert "Doel mine Van der Meer" in _names(geertje)
    assert "Doel to_judge Bakker" in _names(geertje)
    assert "Doel to_judge Bakker" in _names(hylke)
    assert "Doel mine Van der Meer" not in _names(hylke)
    assert (geertje.mine, len(geertje.rows), geertje.total) == (5, 5, 6)


def test_a_handler_who_left_the_organisation_counts_as_nobody(sqlite_world):
    world = sqlite_world
    with world.app.test_request_context():
        from app.identity.models import StaffMembership

        db.session.execute(sa.delete(StaffMembership).where(StaffMembership.person_id == world.people["Hylke"]))
        work = worklist(db.session, person=person("Geertje", world), filters=Filters(scope="mine"))
        row = next(row for row in work.rows if row.goal_text == "Doel in_care De Vries")
    assert row.handler is None


@pytest.mark.parametrize(("status", "expected"), [
    ("to_start", {"Doel to_start De Vries", "Doel mine Van der Meer"}),
    ("in_care", {"Doel in_care De Vries"}),
    ("to_judge", {"Doel to_judge Bakker", "Doel divided Smit"}),
    ("stopped", {"Doel stopped Smit"}),
    ("", {"Doel to_start De Vries", "Doel mine Van der Meer", "Doel in_care De Vries", "Doel to_judge Bakker",
          "Doel divided Smit", "Doel stopped Smit"}),
])
def test_the_status_filter(sqlite_world, status, expected):
    world = sqlite_world
    with world.app.test_request_context():
        work = worklist(db.session, person=person("Geertje", world), filters=Filters(scope="all", status=status))
    assert set(_names(work)) == expected


def test_the_sorts(sqlite_world):
    world = sqlite_world
    with world.app.test_request_context():
        geertje = person("Geertje", world)
        # the goal of Bakker was assigned later than the others: make it the earliest instead
        assignment_of(world, "to_judge Bakker").assigned_start = today() - timedelta(days=200)
        db.session.flush()

        def rows(sort: str) -> list:
            return worklist(db.session, person=geertje, filters=Filters(scope="all", sort=sort)).rows

        def order(sort: str) -> list[str]:
            return [row.goal_text for row in rows(sort)]

        assert [row.status for row in rows("status")] == ["to_start", "to_start", "in_care", "to_judge", "to_judge",
                                                          "stopped"]
        assert order("status")[3] == "Doel to_judge Bakker"  # within a status: the earliest assigned first
        assert order("assigned")[0] == "Doel to_judge Bakker"
        assert order("evaluate")[:2] == ["Doel mine Van der Meer", "Doel to_start De Vries"]  # dated goals first
        # by family: the name once the help started, before that the initials (D.V. before De Vries, V.D.M. last)
        by_family = order("family")
        assert by_family[:3] == ["Doel to_judge Bakker", "Doel to_start De Vries", "Doel in_care De Vries"]
        assert set(by_family[3:5]) == {"Doel stopped Smit", "Doel divided Smit"}
        assert by_family[5] == "Doel mine Van der Meer"


def test_unknown_filter_values_count_as_the_defaults():
    assert Filters(scope="<script>", status="x" * 5000, sort="'; DROP TABLE") == Filters()
    assert Filters(scope="all", status="in_care", sort="family").args() == {"scope": "all", "status": "in_care",
                                                                             "sort": "family"}
    assert Filters().args(sort="evaluate") == {"sort": "evaluate"}


def test_each_family_shown_is_logged_once_and_the_chains_still_add_up(world):
    with world.app.test_request_context():
        geertje = person("Geertje", world)
        worklist(db.session, person=geertje, filters=ALL)
        db.session.commit()
        entries = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "caseload.view")).all()
        assert sorted(e.family_id for e in entries) == sorted(world.families[name] for name in
                                                              ("De Vries", "Bakker", "Smit", "Van der Meer"))
        assert {(e.actor_id, e.actor_role, e.action, e.object_type) for e in entries} == {
            (geertje.id, "provider_staff", "read", "plan")}
        worklist(db.session, person=geertje, filters=Filters(scope="all", status="in_care"))
        db.session.commit()
        again = db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "caseload.view")).all()
        assert len(again) == len(entries) + 1  # only De Vries is shown now
        assert verify(db.session) == []


def test_the_page_takes_the_same_number_of_queries_for_6_goals_and_for_36(world):
    """The whole GET /werk, the access log written at commit included."""
    client = world.app.test_client()
    sign_in_person(client, world.people["Geertje"])
    with world.app.app_context():
        engine = db.engine

    def count() -> int:
        client.get("/werk?scope=all")  # warm: caches kept per process are not the page's cost
        statements = []

        def listener(*args) -> None:
            statements.append(args[2])

        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get("/werk?scope=all").status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    small = count()
    more_families(world, 30)
    assert count() == small
    assert small <= 20, small


def test_a_long_list_comes_a_page_at_a_time_and_only_the_families_on_it_are_logged(sqlite_world):
    world = sqlite_world
    more_families(world, 50)  # 56 goals in all
    with world.app.test_request_context():
        geertje = person("Geertje", world)
        first = worklist(db.session, person=geertje, filters=Filters(scope="all", sort="family"))
        db.session.commit()
        logged = len(_caseload_reads())
        last = worklist(db.session, person=geertje, filters=Filters(scope="all", sort="family", page="999999"))
        db.session.commit()
        assert (len(first.rows), first.matching, first.pages, first.filters.page) == (50, 56, 2, 1)
        assert (len(last.rows), last.filters.page) == (6, 2)  # a page past the end shows the last one
        assert not {row.goal_id for row in first.rows} & {row.goal_id for row in last.rows}
        assert len(_caseload_reads()) - logged == len({row.family_id for row in last.rows})
        assert last.filters.args() == {"scope": "all", "sort": "family", "page": 2}
    for page in ("0", "-1", "1e3", "x" * 5000, "٣", None, 3.5):
        assert Filters(page=page).page == 1, page


def _caseload_reads() -> list[AccessLogEntry]:
    return list(db.session.exec(select(AccessLogEntry).where(AccessLogEntry.event == "caseload.view")).all())
