"""Demo: Karin's work beyond Tom. Her colleague Sjoukje gives Tom's help (app/demo/results.py). Two more families
chose help at Kompas (Karin's provider): the Terpstra family's help waits to start and Sjoukje handles it; the
Zijlstra family's help started six weeks ago, Karin handles it and wrote progress notes, and the mother reacted to
one. With Tom's ended help and the four judged families (app/demo/ratings.py), Karin's work list shows every
status."""

from datetime import timedelta

from sqlmodel import Session, select

from app.catalog.models import Assignment
from app.core.clock import today, utcnow
from app.demo.ratings import _kompas_offer
from app.demo.world import ORGANISATIONS, organisation, small_family, staff
from app.identity.models import Family, Municipality, Person
from app.plans import services
from app.plans.context import plan_context
from app.plans.models import PlanItem

# surname, parent, youth, age, goal, in care (Karin's, with notes) or waiting to start (Sjoukje's)
FAMILIES = [
    ("Terpstra", "Marrit", "Jesse", 12, "Jesse kan zijn boosheid zelf ombuigen, thuis en op school", False),
    ("Zijlstra", "Ingrid", "Bauke", 13, "Bauke slaapt door en gaat uitgerust naar school", True),
]
NOTES = [(35, "Kennismaking met Bauke en Ingrid. We maakten samen een avondritme: om 21.30 uur de telefoon weg."),
         (14, "Het avondritme lukt vier van de vijf avonden. Bauke houdt zelf een slaapdagboek bij.")]
REACTION = "Fijn om te lezen. Thuis merken we ook dat hij rustiger is 's ochtends."


def seed_provider_work(session: Session, people: dict) -> None:
    """Add Karin's colleague and the two families (once)."""
    offer = _kompas_offer(session)
    if offer is None:
        return
    mark, karin = people["mark"], people["karin"]
    municipality = session.exec(select(Municipality).where(Municipality.cbs_code == "0080")).one()
    colleague = karin_colleague(session)
    for surname, parent_name, youth_name, age, goal_text, in_care in FAMILIES:
        if session.exec(select(Family).where(Family.name == f"Gezin {surname}")).first() is not None:
            continue
        family, plan, parent, youth = small_family(session, mark, municipality.id, surname, parent_name, youth_name,
                                                   age)
        goal = PlanItem(plan_id=plan.id, kind="goal", text=goal_text, domain="health" if in_care else "parenting",
                        youth_id=youth.id, author_id=mark.id, typed_by_id=mark.id,
                        due_date=today() + timedelta(days=120))
        session.add(goal)
        session.flush()
        start = today() - timedelta(days=45 if in_care else 5)
        # Made as the ratings' families are (app/demo/ratings.py): history from before the demo, so nothing of it
        # goes to the municipality now (the outbox keeps only the persona family's own events).
        assignment = Assignment(plan_id=plan.id, family_id=family.id, goal_id=goal.id, offer_id=offer.id,
                                organisation_id=offer.provider.organisation_id, status="assigned",
                                product_category=offer.product_category, product_code=offer.product_code,
                                chosen_by_id=parent.id, confirmed_by_id=mark.id, confirmed_at=utcnow(),
                                assignment_number=2026100 + len(surname), assigned_start=start,
                                assigned_end=today() + timedelta(days=180), decided_at=utcnow(),
                                handler_id=(karin if in_care else colleague).id,
                                care_started_on=start + timedelta(days=3) if in_care else None,
                                care_started_by_id=karin.id if in_care else None)
        session.add(assignment)
        session.flush()
        if in_care:
            _in_care(session, karin, parent, plan.id, goal.id, start)


def karin_colleague(session: Session) -> Person:
    """Sjoukje, Karin's colleague at Kompas (made once): she gives Tom's help, so Karin can handle a complaint about
    it (app/complaints: the family's own helper does not, while a colleague can)."""
    colleague = session.exec(select(Person).where(Person.given_name == "Sjoukje",
                                                  Person.family_name == "Kuipers")).first()
    if colleague is None:
        colleague = Person(given_name="Sjoukje", family_name="Kuipers", language="fy",
                           email="sjoukje@kompas.example")
        session.add(colleague)
        session.flush()
    name, kind = ORGANISATIONS["provider"]
    municipality = session.exec(select(Municipality).where(Municipality.cbs_code == "0080")).one()
    staff(session, organisation(session, name, kind, municipality), colleague, "provider_staff")
    return colleague


def _in_care(session: Session, karin: Person, parent: Person, plan_id: str, goal_id: str, start) -> None:
    """Karin's progress notes, and the mother's reaction to the last one."""
    ctx = plan_context(session, person=karin, plan_id=plan_id)
    note = None
    for days_ago, text in NOTES:
        note = services.create_item(session, ctx=ctx, speaker=services.speaker_for(ctx, None), kind="note",
                                    fields={"text": text, "goal_id": goal_id,
                                            "due_date": today() - timedelta(days=days_ago)})
    ctx = plan_context(session, person=parent, plan_id=plan_id)
    services.create_item(session, ctx=ctx, speaker=services.speaker_for(ctx, None), kind="reaction",
                         fields={"text": REACTION, "reply_to_id": note.id})
