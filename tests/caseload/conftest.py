"""Work list fixtures: two provider organisations and the goals families gave them, in every state of the help."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app.catalog import assignments
from app.catalog.models import Assignment, Offer
from app.core.clock import today
from app.extensions import db
from app.identity.models import Person
from tests import factories
from tests.conftest import database_url

STARTED, STOPPED = today() - timedelta(days=60), today() - timedelta(days=2)


class WorkWorld:
    """Kompas-like provider "ours" (staff Geertje and Hylke, admin Baukje) and provider "theirs" (staff Durk), one
    municipality (Leeuwarden), a professional (Hiske) and five families:

    - Gezin De Vries: a goal to start (due in 40 days), a goal in care (handled by Hylke), a goal only requested,
      and an evaluation of the plan (the provider may not see it);
    - Gezin Bakker: a goal whose help stopped, waiting for the family verdict (to judge);
    - Gezin Smit: a goal stopped and judged (achieved), one stopped but divided (to judge);
    - Gezin Mulder: a goal assigned to the other provider only;
    - Gezin Van der Meer: a goal to start, handled by Geertje.
    `goals` by name, `people` by name, `families` and their custody `parents` by surname (ids only).
    """

    def __init__(self, app):
        self.app = app
        self.goals, self.families, self.parents = {}, {}, {}
        with app.test_request_context(), db.new_session() as session:
            ours, ours_offer = factories.provider(session)
            theirs, theirs_offer = factories.provider(session)
            people = {name: factories.staff(session, organisation=ours, role="provider_staff", given_name=name)
                      for name in ("Geertje", "Hylke")}
            people["Baukje"] = factories.staff(session, organisation=ours, role="org_admin", given_name="Baukje")
            people["Durk"] = factories.staff(session, organisation=theirs, role="provider_staff", given_name="Durk")
            people["Hiske"] = factories.professional(session, given_name="Hiske")
            self.people = {name: person.id for name, person in people.items()}
            self.organisations = {"ours": ours.id, "theirs": theirs.id}
            self.offers = {"ours": ours_offer.id, "theirs": theirs_offer.id}
            self.providers = {"ours": ours_offer.provider_id, "theirs": theirs_offer.provider_id}
        self.add_family("De Vries", [("to_start", "ours", {"due_date": today() + timedelta(days=40)}),
                                     ("in_care", "ours", {"handler": "Hylke"}), ("requested", "ours", {})],
                        evaluation=True)
        self.add_family("Bakker", [("to_judge", "ours", {})])
        self.add_family("Smit", [("stopped", "ours", {"result_state": "achieved"}),
                                 ("divided", "ours", {"result_state": "divided"})])
        self.add_family("Mulder", [("other", "theirs", {})])
        self.add_family("Van der Meer", [("mine", "ours", {"handler": "Geertje", "due_date": today()})])

    def add_family(self, surname: str, goals: list[tuple[str, str, dict]], *, evaluation: bool = False) -> str:
        """A family of a parent and a 14-year-old with these goals: (name, provider, extra), the name saying how far
        the help is; return the family's id."""
        with self.app.test_request_context(), db.new_session() as session:
            hiske = session.get(Person, self.people["Hiske"])
            family, plan = factories.open_family(session, by=hiske, name=f"Gezin {surname}")
            parent = factories.join(session, family=family, invited_by=hiske, role="parent", has_custody=True)
            youth = factories.join(session, family=family, invited_by=hiske, role="youth", age=14)
            for name, provider, extra in goals:
                goal = factories.item(session, plan=plan, author=hiske, kind="goal", youth_id=youth.id,
                                      text=f"Doel {name} {surname}", due_date=extra.get("due_date"))
                self.goals[f"{name} {surname}"] = goal.id
                self._help(session, plan, goal, parent, hiske, name, provider, extra)
            if evaluation:
                factories.item(session, plan=plan, author=hiske, kind="evaluation", text=f"Evaluatie {surname}",
                               due_date=today() + timedelta(days=11))
            self.families[surname], self.parents[surname] = family.id, parent.id
            return family.id

    def _help(self, session, plan, goal, parent, hiske, name, provider, extra) -> None:
        offer = session.get(Offer, self.offers[provider])
        if name == "requested":
            assignments.choose_offer(session, ctx=factories.context(session, person=parent, plan=plan),
                                     goal_id=goal.id, offer_id=offer.id)
            assignments.confirm(session, ctx=factories.context(session, person=hiske, plan=plan), goal_id=goal.id,
                                requested_start=today() + timedelta(days=7))
            return
        assignment = factories.assign(session, plan=plan, goal=goal, offer=offer, chosen_by=parent,
                                      professional_person=hiske, start=today() - timedelta(days=90))
        if name not in ("to_start", "mine", "other"):
            factories.care(session, assignment=assignment, started_on=STARTED,
                           stopped_on=None if name == "in_care" else STOPPED)
        assignment.result_state = extra.get("result_state", "")
        if "handler" in extra:
            assignment.handler_id = self.people[extra["handler"]]
        session.add(assignment)
        session.flush()


def more_families(world: WorkWorld, count: int, start: int = 0) -> None:
    """Add families whose goal (one each, to start, in care or stopped in turn) is assigned to our provider."""
    states = ("to_start", "in_care", "to_judge")
    for n in range(start, start + count):
        world.add_family(f"Extra{n}", [(states[n % 3], "ours", {})])


def person(key: str, world: WorkWorld) -> Person:
    return db.session.get(Person, world.people[key])


def assignment_of(world: WorkWorld, goal: str) -> Assignment:
    return db.session.exec(select(Assignment).where(Assignment.goal_id == world.goals[goal])).one()


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request, tmp_path):
    """The work world on SQLite and, in a second run, on PostgreSQL (made once per process, copied per test)."""
    with factories.built_world(WorkWorld, database_url(request, tmp_path, "work"),
                               MAIL_DIR=str(tmp_path / "mail")) as made:
        yield made


@pytest.fixture
def sqlite_world(tmp_path):
    with factories.built_world(WorkWorld, MAIL_DIR=str(tmp_path / "mail")) as made:
        yield made
