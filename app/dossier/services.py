"""The writes of the family's rights over its dossier: one's own statement on the dossier as a whole (7.3.8 lid 2),
and destruction on request (7.3.9): the betrokkenen ask, the professional assesses within three months and records
why not, or it is destroyed for real with a receipt."""

from flask_babel import gettext as _
from sqlmodel import Session, select

from app.audit.services import AuditActor, record
from app.core.clock import AMSTERDAM, add_months, utcnow
from app.core.errors import NotAllowed, NotFound, ValidationFailed
from app.dossier import destruction, mails
from app.dossier.models import OPEN, DestructionRequest, RequestStatus
from app.identity.models import Municipality
from app.identity.policy import AgeBand, age_band, can_view, leads_the_plan, must_ask_destruction
from app.outbox.services import emit
from app.plans import live
from app.plans import services as plan_services
from app.plans.context import WHOLE_PLAN, PlanContext
from app.plans.models import ItemKind, PlanItem

LEGAL_TERM_MONTHS = 3  # the professional decides within three months (Jeugdwet 7.3.9 lid 2)
MAX_REASON = 2000


def state_on_dossier(session: Session, *, ctx: PlanContext, text: str) -> PlanItem:
    """Add the signed-in betrokkene's statement on the dossier as a whole (through the plan's own rules: the age
    rules decide who may, the text is checked like any other)."""
    speaker = plan_services.Speaker(author=ctx.actor, typed_by=ctx.actor)
    return plan_services.create_item(session, ctx=ctx, speaker=speaker, kind=ItemKind.STATEMENT,
                                     fields={"text": text, "reply_to_id": None})


def destroyable_item(session: Session, ctx: PlanContext, item_id: str) -> PlanItem:
    """The plan item a request may name: in this plan and seen by the asker (else it does not exist for them)."""
    item = session.get(PlanItem, item_id)
    if item is None or item.plan_id != ctx.plan.id or item.deleted_at is not None \
            or not can_view(ctx.actor, ctx.policy_item(item)):
        raise NotFound(item_id)
    return item


def who_must_ask(ctx: PlanContext, item: PlanItem | None) -> list[str]:
    """The betrokkenen who must all ask, by the age rules; for one part only those who may see it (nobody is asked
    about a part they may not know of)."""
    required = must_ask_destruction(ctx.members, item.youth_id if item is not None else None)
    facts = ctx.policy_item(item) if item is not None else WHOLE_PLAN
    return [person_id for person_id in sorted(required) if can_view(ctx.actor_for(person_id), facts)]


def refusal_words(ctx: PlanContext, item: PlanItem | None) -> str:
    """Why this person may not ask, in plain words (who may)."""
    youth = ctx.people.get(item.youth_id) if item is not None and item.youth_id else None
    if youth is not None and youth.age is not None and age_band(youth.age) is AgeBand.DECIDES:
        return _("%(name)s is 16 or older. Only %(name)s can ask to destroy this.", name=youth.given_name)
    return _("Only the parents with custody and young people from 12 can ask to destroy the dossier.")


def ask_destruction(session: Session, *, ctx: PlanContext, item_id: str | None) -> DestructionRequest:
    """Ask to destroy one part (`item_id`) or the whole dossier (None); join the open request of another
    betrokkene for the same; when everyone required has asked, the professional is asked to decide."""
    item = destroyable_item(session, ctx, item_id) if item_id else None
    required = who_must_ask(ctx, item)
    me = ctx.actor.person_id
    if me not in required:
        raise ValidationFailed([("request", refusal_words(ctx, item))])
    request = session.exec(select(DestructionRequest).where(
        DestructionRequest.plan_id == ctx.plan.id, DestructionRequest.item_id == item_id,
        DestructionRequest.scope == ("item" if item else "dossier"),
        DestructionRequest.status.in_(OPEN)).with_for_update()).first()
    if request is None:
        request = DestructionRequest(
            municipality_id=ctx.access.family.municipality_id, family_id=ctx.plan.family_id, plan_id=ctx.plan.id,
            scope="item" if item else "dossier", item_id=item_id, item_kind=item.kind if item else None,
            required_ids=required)
        session.add(request)
    if me not in request.asked_ids:
        request.asked_ids = [*request.asked_ids, me]
    request.required_ids = sorted(set(required) | set(request.required_ids))
    if request.status == RequestStatus.WAITING and set(request.required_ids) <= set(request.asked_ids):
        request.status, request.asked_at = RequestStatus.ASKED, utcnow()
        request.decide_by = add_months(request.asked_at.astimezone(AMSTERDAM).date(), LEGAL_TERM_MONTHS)
    session.flush()
    _log(session, ctx, request, "dossier.destruction_ask", "create", youth_id=item.youth_id if item else None)
    return request


def waiting_for(request: DestructionRequest) -> list[str]:
    """Who must still ask."""
    return [person_id for person_id in request.required_ids if person_id not in request.asked_ids]


def open_request(session: Session, ctx: PlanContext, request_id: str) -> DestructionRequest:
    """A request of this plan that the professional may decide (else it does not exist for the asker)."""
    request = session.get(DestructionRequest, request_id)
    if request is None or request.plan_id != ctx.plan.id or not leads_the_plan(ctx.actor):
        raise NotFound(request_id)
    return request


def decide(session: Session, *, ctx: PlanContext, request_id: str, destroy: bool, reason: str = "") -> \
        DestructionRequest:
    """The professional's assessment: destroy for real, or refuse and record why (whose significant interest or
    which law prevents it)."""
    request = open_request(session, ctx, request_id)
    if request.status != RequestStatus.ASKED:
        raise NotAllowed(request_id)  # still waiting for a betrokkene, or decided already
    reason = (reason or "").strip()
    if not destroy:
        if not reason:
            raise ValidationFailed([("reason", _("Write down whose interest or which law stops the destruction."))])
        if len(reason) > MAX_REASON:
            raise ValidationFailed([("reason", _("Write at most %(count)s characters.", count=MAX_REASON))])
    request.decided_at, request.decided_by_id = utcnow(), ctx.actor.person_id
    if not destroy:
        request.status, request.refusal_reason = RequestStatus.REFUSED, reason
        session.flush()
        _log(session, ctx, request, "dossier.destruction_refuse", "update")
        mails.receipt_after_commit(session, request)
        return request
    receipt = mails.receipts(session, request)  # written before the people they go to may be destroyed too
    _destroy(session, ctx, request)
    mails.send_after_commit(session, receipt)
    return request


def _destroy(session: Session, ctx: PlanContext, request: DestructionRequest) -> None:
    gone_items: list[PlanItem] = []
    if request.scope == "item":
        item = session.get(PlanItem, request.item_id)
        if item is None:
            raise NotFound(request.item_id)
        gone_items = _subtree(session, item)
        audiences = [(gone.id, gone.kind, ctx.audience(ctx.policy_item(gone))) for gone in gone_items]
        destroyed = destruction.destroy_items(session, [item.id])  # the foreign keys find what hangs under it
    else:
        audiences = []
        destroyed = destruction.destroy_family(session, ctx.plan.family_id)
    request.status, request.destroyed = RequestStatus.DESTROYED, dict(destroyed.rows)
    session.add(request)
    session.flush()
    _log(session, ctx, request, "dossier.destroy", "delete")
    municipality = session.get(Municipality, request.municipality_id)
    emit(session, event_type="dossier.destroyed", aggregate_type="plan", aggregate_id=request.plan_id, payload={
        "request_id": request.id, "plan_id": request.plan_id, "family_id": request.family_id,
        "municipality_code": municipality.cbs_code, "scope": request.scope,
        "asked_at": request.asked_at.isoformat(), "destroyed_at": request.decided_at.isoformat(),
        "rows": destroyed.total, "reason": "request"})
    for item_id, kind, audience in audiences:  # open plan pages take the parts away
        live.publish_after_commit(session, request.plan_id, {"type": "item", "item": item_id, "kind": kind,
                                                              "version": 0, "event_id": None, "by": None,
                                                              "to": audience})


def _subtree(session: Session, item: PlanItem) -> list[PlanItem]:
    """The item and every item that hangs under it (a goal's tasks and notes, their reactions and statements)."""
    found, frontier = [item], [item.id]
    while frontier:
        children = session.exec(select(PlanItem).where(
            (PlanItem.goal_id.in_(frontier)) | (PlanItem.reply_to_id.in_(frontier)))).all()
        children = [child for child in children if child.id not in {f.id for f in found}]
        found += children
        frontier = [child.id for child in children]
    return found


def _log(session: Session, ctx: PlanContext, request: DestructionRequest, event: str, action: str,
         youth_id: str | None = None) -> None:
    """The request, the decision and the fact of destruction are logged; never what was destroyed."""
    record(session, event=event, action=action, actor=AuditActor(ctx.actor.person_id, ctx.actor.role),
           family_id=request.family_id, youth_id=youth_id, object_type="destruction_request", object_id=request.id,
           detail=f"{request.scope}:{request.item_kind or 'dossier'}")

