"""The rules and writes of the child view and the youth view: what a child adds to her houses, a check-in, the view
a person chooses. A child's additions go through the plan's own rules (app.plans.services), in her name."""

from flask_babel import gettext as _
from sqlmodel import Session

from app.audit.services import record
from app.children.models import CheckIn
from app.children.vocab import FACES, HOUSES, WORDS_MAX
from app.core.errors import NotFound, ValidationFailed
from app.identity.models import Person
from app.identity.policy import Item, Youth, can_show_child_view
from app.plans import live
from app.plans import services as plan_services
from app.plans.context import PlanContext
from app.plans.models import PlanItem
from app.plans.pictures import HOUSE_PICTURES, picture_name

VIEWS = ("adult", "own")


def child_speaker(ctx: PlanContext, child_id: str) -> plan_services.Speaker:
    """The child speaks, whoever holds the phone (the child, or a parent or the professional showing her view);
    NotFound for anyone else, and for a youth of 12 or older."""
    child = ctx.actor_for(child_id) if ctx.role_of(child_id) == "youth" else None
    if child is None or not can_show_child_view(ctx.actor, child):
        raise NotFound(child_id)
    return plan_services.Speaker(author=child, typed_by=ctx.actor)


def add_to_house(session: Session, *, ctx: PlanContext, child_id: str, house: str, picture: str | None,
                 words: str) -> PlanItem:
    """Put something in one of the child's houses: a picture from that house, and words if she has any (with only a
    picture, its name in her language is the text). It is hers, about her, and re-opens no agreement."""
    speaker = child_speaker(ctx, child_id)
    if house not in HOUSES:
        raise NotFound(house)
    picture = picture or None
    words = " ".join((words or "").split())
    reasons = []
    if picture is not None and picture not in HOUSE_PICTURES[house]:
        reasons.append(("picture", _("Choose one of the pictures.")))
    elif picture is None and not words:
        reasons.append(("picture", _("Choose a picture, or say it in a few words.")))
    if len(words) > WORDS_MAX:
        reasons.append(("words", _("This is too long: at most %(max)d characters. You have %(count)d.",
                                   max=WORDS_MAX, count=len(words))))
    if reasons:
        raise ValidationFailed(reasons)
    return plan_services.create_item(session, ctx=ctx, speaker=speaker, kind=house,
                                     fields={"text": words or picture_name(picture), "picture": picture,
                                             "youth_id": child_id})


def check_in_facts(person_id: str, written_at: int, age_now: int) -> Item:
    """A check-in as the age rules see it: about the youth (today's age), written by them at `written_at`."""
    return Item(kind="check_in", author_id=person_id, youth=Youth(person_id, age_now), author_youth_age=written_at)


def check_in(session: Session, *, ctx: PlanContext, child_id: str, face: str) -> CheckIn:
    """Record how the child feels now (one of five faces); whoever may see it hears of it live."""
    speaker = child_speaker(ctx, child_id)
    if face not in {str(number) for number in FACES}:
        raise ValidationFailed([("face", _("Choose one of the faces."))])
    row = CheckIn(plan_id=ctx.plan.id, person_id=child_id, typed_by_id=ctx.actor.person_id,
                  age=speaker.author.age, face=int(face))
    session.add(row)
    session.flush()
    record(session, event="check_in.create", action="create", actor=speaker.audit, family_id=ctx.plan.family_id,
           youth_id=child_id, object_type="check_in", object_id=str(row.id))
    facts = check_in_facts(child_id, row.age, speaker.author.age)
    live.publish_after_commit(session, ctx.plan.id, {"type": "checkin", "to": ctx.audience(facts)})
    return row


def choose_view(session: Session, *, person: Person, view: str) -> None:
    """Remember which view of the plan this person wants: the whole plan, or their own (by age)."""
    if view not in VIEWS:
        raise ValidationFailed([("view", _("Choose a view."))])
    person.plan_view = view  # a setting of the person's own, like their language: no family data
    session.add(person)
