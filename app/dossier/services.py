"""The writes of the family's rights over its dossier: one's own statement on the dossier as a whole (7.3.8 lid 2)."""

from sqlmodel import Session

from app.plans import services as plan_services
from app.plans.context import PlanContext
from app.plans.models import ItemKind, PlanItem


def state_on_dossier(session: Session, *, ctx: PlanContext, text: str) -> PlanItem:
    """Add the signed-in betrokkene's statement on the dossier as a whole (through the plan's own rules: the age
    rules decide who may, the text is checked like any other)."""
    speaker = plan_services.Speaker(author=ctx.actor, typed_by=ctx.actor)
    return plan_services.create_item(session, ctx=ctx, speaker=speaker, kind=ItemKind.STATEMENT,
                                     fields={"text": text, "reply_to_id": None})
