"""Monitor fixtures: a small hand-made region whose every figure can be worked out on paper."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.catalog.models import Assignment, Offer, Provider
from app.complaints.models import Complaint, ComplaintPart
from app.core.ids import new_id
from app.demo.services import demo_people
from app.extensions import db
from app.identity.models import Family, Municipality, Organisation, StaffMembership
from app.outbox.models import OutboxEvent
from app.plans.models import Plan, PlanItem
from app.results.models import FamilyVerdict, OutcomeAnswer
from tests.catalog.conftest import small_app  # noqa: F401, F811  (the app with five offers, SQLite and PostgreSQL)
from tests.identity.conftest import bare_app  # noqa: F401  (an empty app, for the rules about who may look)

MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


def at(day: date, hour: int = 10) -> datetime:
    """10:00 UTC (11:00 in the Netherlands in March) on a day."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class Builder:
    """Adds families, plans, assignments, verdicts, answers, complaints and events with the fields that matter."""

    def __init__(self, session):
        self.session = session
        people = demo_people(session)
        self.mark, self.jeroen = people["mark"], people["jeroen"]
        self.municipalities = {m.cbs_code: m for m in session.exec(select(Municipality)).all()}
        self.offer = session.exec(select(Offer).order_by(Offer.id)).first()
        self.provider = session.get(Provider, self.offer.provider_id)
        self.backoffice = session.exec(select(Organisation).where(Organisation.kind == "municipality")).first()
        self._shared: dict[str, tuple[Family, Plan, str]] = {}

    def shared(self, code: str) -> tuple[Family, Plan, str]:
        """One family per municipality (its plan made in January) that all help and complaints belong to."""
        if code not in self._shared:
            self._shared[code] = self.plan(code, created=date(2026, 1, 5))
        return self._shared[code]

    def plan(self, code: str = "0080", created: date = MARCH, fixed: date | None = None) -> tuple[Family, Plan, str]:
        family = Family(name=f"Gezin {new_id()}", municipality_id=self.municipalities[code].id,
                        created_at=at(created))
        self.session.add(family)
        self.session.flush()
        plan = Plan(family_id=family.id, created_at=at(created), status="fixed" if fixed else "draft",
                    fixed_at=at(fixed) if fixed else None)
        self.session.add(plan)
        self.session.flush()
        goal = PlanItem(plan_id=plan.id, kind="goal", text="Doel", author_id=self.mark.id, typed_by_id=self.mark.id)
        self.session.add(goal)
        self.session.flush()
        return family, plan, goal.id

    def assignment(self, code: str = "0080", *, asked: datetime | None, decided: datetime | None = None,
                   category: str = "45", started: date | None = None, stopped: date | None = None,
                   reason: str = "") -> Assignment:
        family, plan, goal = self.shared(code)
        assignment = Assignment(plan_id=plan.id, family_id=family.id, goal_id=goal, offer_id=self.offer.id,
                                organisation_id=self.provider.organisation_id, status="assigned" if decided
                                else "requested", product_category=category, chosen_by_id=self.mark.id,
                                confirmed_by_id=self.mark.id if asked else None, confirmed_at=asked,
                                decided_at=decided, care_started_on=started, care_stopped_on=stopped,
                                stop_reason=reason)
        self.session.add(assignment)
        self.session.flush()
        return assignment

    def verdict(self, verdict: str, day: date, *, current: bool = True, moment: str = "end", code: str = "0080"):
        assignment = self.assignment(code, asked=None)
        self.session.add(FamilyVerdict(assignment_id=assignment.id, goal_id=assignment.goal_id, verdict=verdict,
                                       decided_at=at(day), current=current, moment=moment))

    def answer(self, usefulness: int, day: date, code: str = "0080", independence: str = "02"):
        assignment = self.assignment(code, asked=None)
        self.session.add(OutcomeAnswer(assignment_id=assignment.id, person_id=self.mark.id, informant="parent",
                                       usefulness=usefulness, independence=independence, created_at=at(day)))

    def complaint_part(self, received: date, due: date, judged: date | None, code: str = "0080"):
        family, _plan, _goal = self.shared(code)
        complaint = Complaint(number=new_id()[:12], family_id=family.id, complainant_id=self.mark.id,
                              client_id=new_id(), text="Klacht")
        self.session.add(complaint)
        self.session.flush()
        self.session.add(ComplaintPart(complaint_id=complaint.id, subject="municipality",
                                       organisation_id=self.backoffice.id, regime="awb",
                                       status="closed" if judged else "in_progress", received_on=received,
                                       term_started_on=received, acknowledge_by=received, decide_by=due,
                                       judged_on=judged, closed_on=judged, outcome="founded" if judged else ""))

    def event(self, status: str, created: datetime, attempts: int = 0):
        key = new_id()
        self.session.add(OutboxEvent(event_type="plan.fixed", schema_id="test", aggregate_type="plan",
                                     aggregate_id=key, sequence=1, idempotency_key=key, status=status,
                                     attempts=attempts, created_at=created))


def build_region(session) -> Builder:
    """The hand-made data set of test_figures (Leeuwarden 0080, with noise in Smallingerland 0090)."""
    b = Builder(session)
    session.execute(sa.delete(OutboxEvent))
    # plans: the shared one of January, 2 in February, 4 more in March (7 at the end of March), 5 of them fixed in
    # March; in Smallingerland its shared plan and one fixed in March
    for created, fixed in [(date(2026, 2, 3), date(2026, 3, 4)), (date(2026, 2, 9), date(2026, 3, 5)),
                           (date(2026, 3, 2), date(2026, 3, 10)), (date(2026, 3, 3), date(2026, 3, 11)),
                           (date(2026, 3, 20), date(2026, 3, 30)), (date(2026, 3, 21), None)]:
        b.plan(created=created, fixed=fixed)
    b.plan("0090", created=date(2026, 3, 2), fixed=date(2026, 3, 3))
    # decisions: asked Monday 2 March; answered after 0, 1, 4, 5, 6 and 10 working days: 4 of 6 on time, median 4.5
    for answered in (2, 3, 6, 9, 10, 16):
        b.assignment(asked=at(date(2026, 3, 2)), decided=at(date(2026, 3, answered), 15))
    b.assignment(asked=None, decided=at(date(2026, 3, 3)))  # never requested: not a lead time
    b.assignment("0090", asked=at(date(2026, 3, 2)), decided=at(date(2026, 3, 30)))  # another municipality
    b.assignment(asked=at(date(2026, 3, 2)), decided=at(date(2026, 3, 30)), category="54")  # filtered by category
    # verdicts at the end in March: 3 achieved, 1 partly, 1 not; a corrected one and an evaluation do not count
    for verdict in ("achieved", "achieved", "achieved", "partly", "not_achieved"):
        b.verdict(verdict, date(2026, 3, 12))
    b.verdict("not_achieved", date(2026, 3, 12), current=False)
    b.verdict("not_achieved", date(2026, 3, 12), moment="evaluation")
    # usefulness in March: 6, 7, 8, 9, 10 -> 8.0
    for score in (6, 7, 8, 9, 10):
        b.answer(score, date(2026, 3, 15))
    # care stopped in March with JZ588 31, 32, 33, 34, 35: drop-out 32 and 33 -> 40%
    for reason in ("31", "32", "33", "34", "35"):
        b.assignment(asked=None, started=date(2026, 1, 10), stopped=date(2026, 3, 20), reason=reason)
    # care started in March, 7, 14, 14, 21 and 30 days after the request (category 45): median 14
    for wait in (7, 14, 14, 21, 30):
        b.assignment(asked=at(date(2026, 3, 31) - timedelta(days=wait)), started=date(2026, 3, 31), category="45")
    # complaints judged in March: 4 of 5 within the term
    for judged in (10, 11, 12, 13, 31):
        b.complaint_part(date(2026, 2, 1), date(2026, 3, 16), date(2026, 3, judged))
    # the sync: 2 waiting (one tried before, the oldest 3 hours old), 3 delivered, 1 given up
    now = datetime.now(UTC)
    b.event("pending", now - timedelta(hours=3), attempts=1)
    b.event("pending", now - timedelta(hours=1))
    for _ in range(3):
        b.event("delivered", now - timedelta(hours=5), attempts=1)
    b.event("dead", now - timedelta(days=2), attempts=8)
    session.flush()
    return b


@pytest.fixture
def region_app(small_app):  # noqa: F811
    """The app (SQLite and PostgreSQL) with the hand-made region; Jeroen is municipality staff of Leeuwarden."""
    with small_app.test_request_context(), db.new_session() as session:
        build_region(session)
    return small_app


def add_staff(flask_app, code: str, role: str = "municipality_staff") -> str:
    """A new staff member of a municipality's back office; return the person's id."""
    from app.identity.models import Person

    with flask_app.test_request_context(), db.new_session() as session:
        municipality = session.exec(select(Municipality).where(Municipality.cbs_code == code)).one()
        organisation = Organisation(name=f"Gemeente {municipality.name}", kind="municipality",
                                    municipality_id=municipality.id)
        person = Person(given_name="Staf", family_name=code)
        session.add_all([organisation, person])
        session.flush()
        session.add(StaffMembership(organisation_id=organisation.id, person_id=person.id, role=role))
        return person.id
