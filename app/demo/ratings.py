"""Demo: four other families whose help at Kompas (Karin's provider) ended, with published ratings and results.

With Sanne's rating of Tom's help, once the redactie (Jeroen) publishes it, Kompas has five rated trajectories
and the catalog shows its figures.
"""

from datetime import timedelta

from sqlmodel import Session, select

from app.catalog.models import Assignment, Offer, Provider
from app.core.clock import today, utcnow
from app.demo.world import FAMILY_NAME, ORGANISATIONS, organisation, small_family, staff
from app.identity.models import Family, Municipality, Person
from app.plans.models import PlanItem
from app.ratings import figures
from app.ratings.models import Rating
from app.ratings.services import remember
from app.results.models import FamilyVerdict, OutcomeAnswer

# surname, parent, youth, youth's age, (overall, heard, decided, reachable, result), text, family verdict, useful
FAMILIES = [
    ("Bouma", "Jildou", "Sietse", 13, (8, 9, 8, 7, 8),
     "Wy fielden ús echt heard. De begelieder kaam altyd op tiid en wie earlik oer wat wol en net koe.",
     "achieved", 8),
    ("Kramer", "Esther", "Daan", 15, (7, 8, 6, 7, 7),
     "Fijne begeleider. Soms duurde het lang voordat we een afspraak konden maken, maar het heeft geholpen.",
     "achieved", 7),
    ("Veenstra", "Wytske", "Jorrit", 12, (9, 9, 9, 8, 9),
     "Ze keken eerst wat wij zelf al goed deden. Daardoor voelden we ons sterker als gezin.", "achieved", 9),
    ("Yilmaz", "Ayşe", "Emre", 14, (6, 7, 7, 5, 6),
     "De hulp was goed bedoeld. Het bellen was lastig, we kregen vaak de voicemail.", "partly", 6),
]


def seed_ratings(session: Session, people: dict) -> None:
    """Add the four families with ended, rated and judged help at Kompas (once), and make Jeroen redactie."""
    backoffice_name, kind = ORGANISATIONS["backoffice"]
    municipality_id = session.get(Family, _demo_family_id(session)).municipality_id

    backoffice = organisation(session, backoffice_name, kind, session.get(Municipality, municipality_id))
    staff(session, backoffice, people["jeroen"], "editor")
    offer = _kompas_offer(session)
    if offer is None:
        return
    for row in FAMILIES:
        if session.exec(select(Family).where(Family.name == f"Gezin {row[0]}")).first() is None:
            _family(session, people["mark"], municipality_id, offer, *row)
    session.flush()


def _demo_family_id(session: Session) -> str:

    return session.exec(select(Family.id).where(Family.name == FAMILY_NAME)).one()


def _kompas_offer(session: Session) -> Offer | None:
    """The Kompas offer Tom's help came from (else Kompas's first offer for his age), so both pages fill up."""
    kompas = session.exec(select(Provider).where(Provider.external_id == "demo-p000")).first()
    if kompas is None:
        return None
    toms = session.exec(select(Offer).join(Assignment, Assignment.offer_id == Offer.id).where(
        Offer.provider_id == kompas.id, Assignment.family_id == _demo_family_id(session))).first()
    return toms or session.exec(select(Offer).where(Offer.provider_id == kompas.id, Offer.age_min <= 14,
                                                    Offer.age_max >= 14).order_by(Offer.id)).first()


def _family(session: Session, mark: Person, municipality_id: int, offer: Offer, surname: str, parent_name: str,
            youth_name: str, age: int, scores: tuple, text: str, verdict: str, useful: int) -> None:

    family, plan, parent, youth = small_family(session, mark, municipality_id, surname, parent_name, youth_name, age)
    goal = PlanItem(plan_id=plan.id, kind="goal", text="Rust in huis en samen afspraken maken", domain="parenting",
                    youth_id=youth.id, author_id=mark.id, typed_by_id=mark.id)
    session.add(goal)
    session.flush()
    started, stopped = today() - timedelta(days=240), today() - timedelta(days=20)
    assignment = Assignment(plan_id=plan.id, family_id=family.id, goal_id=goal.id, offer_id=offer.id,
                            organisation_id=offer.provider.organisation_id, status="assigned",
                            product_category=offer.product_category, product_code=offer.product_code,
                            chosen_by_id=parent.id, assigned_start=started, care_started_on=started,
                            care_stopped_on=stopped, stop_reason="31", decided_at=utcnow(), result_state=verdict)
    session.add(assignment)
    session.flush()
    session.add_all([FamilyVerdict(assignment_id=assignment.id, goal_id=goal.id, verdict=verdict),
                     OutcomeAnswer(assignment_id=assignment.id, person_id=parent.id, informant="parent",
                                   usefulness=useful, independence="04" if verdict == "achieved" else "02")])
    overall, heard, decided, reachable, result = scores
    rating = Rating(assignment_id=assignment.id, person_id=parent.id, family_id=family.id,
                    municipality_id=municipality_id, offer_id=offer.id, provider_id=offer.provider_id,
                    professional_id=mark.id, informant="parent", overall=overall, heard=heard, decided=decided,
                    reachable=reachable, result=result, text=text, professional_score=overall,
                    status="published", published_at=utcnow() - timedelta(days=10))
    session.add(rating)
    session.flush()
    remember(session, rating, "publish", by=None)
    figures.apply(session, rating, +1)
