"""Demo: Tom's goal about switching homes, helped by Karin's organisation (her colleague Sjoukje gave the help), ended
as planned and ready to judge."""

from datetime import timedelta

from sqlmodel import Session, select

from app.catalog import assignments
from app.catalog.models import Assignment, Offer, Provider, ProviderContract
from app.core.clock import today
from app.demo.provider_work import karin_colleague
from app.plans.context import plan_context
from app.plans.models import PlanItem
from app.results import care
from app.results.trajectory import trajectory


def seed_results(session: Session, people: dict, plan_id: str) -> None:
    """Assign Tom's second goal to Kompas (Karin's provider), record the start and the regular end (once)."""
    tom = people["tom"]
    goal = session.exec(select(PlanItem).where(PlanItem.plan_id == plan_id, PlanItem.kind == "goal",
                                               PlanItem.youth_id == tom.id, PlanItem.domain == "parenting")).first()
    if goal is None or session.exec(select(Assignment).where(Assignment.goal_id == goal.id)).first() is not None:
        return
    ctx = plan_context(session, person=tom, plan_id=plan_id)
    contracts = ProviderContract.provider_id == Provider.id
    offer = session.exec(select(Offer).join(Provider).join(ProviderContract, contracts)
                         .where(Provider.external_id == "demo-p000",
                                ProviderContract.municipality_id == ctx.access.family.municipality_id,
                                Offer.age_min <= tom.age, Offer.age_max >= tom.age).order_by(Offer.id)).first()
    if offer is None:
        return
    assignments.choose_offer(session, ctx=ctx, goal_id=goal.id, offer_id=offer.id)
    request = assignments.confirm(session, ctx=plan_context(session, person=people["mark"], plan_id=plan_id),
                                  goal_id=goal.id, requested_start=today())
    start = today() - timedelta(days=180)
    assignments.record_decision(session, reference=request.reference, decision="assigned", number=2026087,
                                start=start, end=today() + timedelta(days=10))
    sjoukje = trajectory(session, person=karin_colleague(session), goal_id=goal.id)  # Karin's colleague gives it
    care.start_care(session, trajectory=sjoukje, started_on=start + timedelta(days=7))
    care.stop_care(session, trajectory=sjoukje, stopped_on=today() - timedelta(days=3), reason="31")
