"""Rating the help: who may rate which care trajectory, and writing a rating (versioned until published).

A trajectory is an assignment whose care started. It may be rated once it ended, or after 3 months of ongoing
care, by the family's young people and parents who may see the goal it is for (the age rules of the plan):
nobody rates a provider they had no care from. Under 12 a child rates with smileys.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlmodel import Session, select

from app.audit.services import AuditActor, record
from app.catalog.models import Assignment, Offer, Provider
from app.core.clock import add_months, today, utcnow
from app.core.errors import NotFound, ValidationFailed
from app.identity.models import Family, Membership, Person
from app.identity.policy import can_view
from app.plans.context import PlanContext, family_context
from app.plans.models import PlanItem
from app.ratings.models import SCORE_COLUMNS, Rating, RatingVersion
from app.ratings.vocab import ASPECTS, CHILD_UNTIL, MAX_CHARS, MAX_WORDS, ONGOING_MONTHS, SMILEYS

RATER_ROLES = ("youth", "parent")


@dataclass
class Trajectory:
    """One care trajectory as one family member may rate it."""

    assignment: Assignment
    offer: Offer
    provider: Provider
    goal: PlanItem
    ctx: PlanContext
    person: Person
    rating: Rating | None
    opens_on: date  # the day it may be rated (the end of care, or 3 months after the start)

    @property
    def is_open(self) -> bool:
        return self.opens_on <= today()

    @property
    def is_child(self) -> bool:
        return self.ctx.role_of(self.person.id) == "youth" and self.person.age is not None and \
            self.person.age < CHILD_UNTIL

    @property
    def informant(self) -> str:
        return "youth" if self.ctx.role_of(self.person.id) == "youth" else "parent"


def opens_on(assignment: Assignment) -> date:
    """When a trajectory may be rated: at the end of care, or after 3 months of ongoing care."""
    ongoing = add_months(assignment.care_started_on, ONGOING_MONTHS)
    return min(assignment.care_stopped_on, ongoing) if assignment.care_stopped_on else ongoing


def raters(ctx: PlanContext, goal: PlanItem) -> list[Person]:
    """The family's young people and parents who may see the goal (and so know the help it got)."""
    return [person for membership, person in ctx.rows if membership.role in RATER_ROLES
            and can_view(ctx.actor_for(person.id), ctx.policy_item(goal))]


def my_trajectories(session: Session, *, person: Person) -> list[Trajectory]:
    """The care trajectories this person may rate (or will, once open), with their own rating; log the read."""
    family_ids = session.exec(select(Membership.family_id).where(Membership.person_id == person.id,
                                                                 Membership.role.in_(RATER_ROLES))).all()
    if not family_ids:
        return []
    rows = session.exec(select(Assignment, Offer, Provider).join(Offer, Offer.id == Assignment.offer_id)
                        .join(Provider, Provider.id == Offer.provider_id)
                        .where(Assignment.family_id.in_(family_ids), Assignment.status == "assigned",
                               Assignment.care_started_on.is_not(None))
                        .order_by(Assignment.care_started_on.desc(), Assignment.id)).all()
    own = {r.assignment_id: r for r in session.exec(select(Rating).where(
        Rating.person_id == person.id, Rating.assignment_id.in_([a.id for a, _o, _p in rows])))} if rows else {}
    contexts: dict[str, PlanContext] = {}
    found = []
    for assignment, offer, provider in rows:
        ctx = contexts.get(assignment.plan_id) or contexts.setdefault(
            assignment.plan_id, family_context(session, assignment.plan_id))
        goal = session.get(PlanItem, assignment.goal_id)
        if person.id in {p.id for p in raters(ctx, goal)}:
            found.append(Trajectory(assignment, offer, provider, goal, ctx, person, own.get(assignment.id),
                                    opens_on(assignment)))
    for ctx in {t.assignment.plan_id: t.ctx for t in found}.values():
        record(session, event="ratings.view", action="read", actor=_actor(ctx, person),
               family_id=ctx.plan.family_id, object_type="ratings", object_id=person.id)
    return found


def trajectory(session: Session, *, person: Person, assignment_id: int) -> Trajectory:
    """One trajectory this person may rate, or NotFound (no care, not their family, or a goal hidden from them)."""
    found = next((t for t in my_trajectories(session, person=person) if t.assignment.id == assignment_id), None)
    if found is None:
        raise NotFound(str(assignment_id))
    return found


def save_rating(session: Session, *, person: Person, assignment_id: int, values: dict[str, str],
                version: str = "") -> Rating:
    """Create or change one's rating of a trajectory; published ratings no longer change."""
    found = trajectory(session, person=person, assignment_id=assignment_id)
    if not found.is_open:
        raise ValidationFailed([("overall", _("You can rate this help from %(date)s.",
                                             date=format_date(found.opens_on, "long")))])
    rating = found.rating
    _check_version(rating, version)
    fields = _checked_fields(values, child=found.is_child)
    if rating is None:
        rating = _new_rating(session, found)
    for name, value in fields.items():
        setattr(rating, name, value)
    change = "create" if rating.id is None else "update"
    rating.status, rating.reject_reason, rating.updated_at = "pending", "", utcnow()
    rating.version = 1 if rating.id is None else rating.version + 1
    session.add(rating)
    try:
        session.flush()
    except sa.exc.IntegrityError:  # a second rating of the same trajectory, saved at the same moment (the view
        # rolls back)
        raise ValidationFailed([("version", _("You already rated this help. Open it again to change your "
                                              "rating."))]) from None
    remember(session, rating, change, by=person.id)
    record(session, event=f"rating.{change}", action=change, actor=_actor(found.ctx, person),
           family_id=rating.family_id, youth_id=found.goal.youth_id, object_type="rating", object_id=str(rating.id))
    return rating


def _check_version(rating: Rating | None, version: str) -> None:
    if rating is None:
        return
    if not rating.is_editable:
        raise ValidationFailed([("version", _("Your rating is published. It can no longer be changed."))])
    if not version:
        raise ValidationFailed([("version", _("You already rated this help. You can change your rating "
                                              "below."))])
    if version != str(rating.version):
        raise ValidationFailed([("version", _("You changed this rating somewhere else in the meantime. Look at "
                                              "it again before you save."))])


def _checked_fields(values: dict[str, str], *, child: bool) -> dict:
    """The scores and text as stored, or every problem at once (field, message)."""
    problems: list[tuple[str, str]] = []
    fields: dict = {}
    if child:
        smiley = values.get("smiley", "")
        if smiley not in SMILEYS:
            problems.append(("smiley", _("Choose a face.")))
        fields["smiley"] = smiley or None
    else:
        for name in ("overall", *ASPECTS, "professional_score"):
            fields[name] = _score(values.get(name, ""), name, required=name == "overall", problems=problems)
    text = clean_text(values.get("text", ""))
    words = len(text.split())
    if words > MAX_WORDS:
        problems.append(("text", ngettext("Use at most %(max)d words. You used %(num)d.",
                                          "Use at most %(max)d words. You used %(num)d.", words, max=MAX_WORDS)))
    elif len(text) > MAX_CHARS:
        problems.append(("text", _("Your text is too long. Use at most %(max)d characters.", max=MAX_CHARS)))
    elif has_contact_details(text):
        problems.append(("text", _("Leave out phone numbers and e-mail addresses. Everyone can read a published "
                                   "rating.")))
    fields["text"] = text
    if problems:
        raise ValidationFailed(problems)
    return fields


# A Dutch phone number: 10 digits from a 0 (06-12345678, 058 123 45 67, (020) 1234567), or +31/0031 and 9 more;
# a space, dot, dash or bracket (two at most) may stand between digits. Free numbers (0800-0113) have 8 digits.
_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)31[\s.()-]?(?:\(0\)[\s.-]?)?[1-9](?:[\s.()-]?\d){8}"
                    r"|\(?0(?:[\s.()-]{0,2}\d){9})(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def has_contact_details(text: str) -> bool:
    """True when a rating's text holds a phone number or an e-mail address (the code of conduct leaves them out)."""
    return bool(_PHONE.search(text) or _EMAIL.search(text))


def _score(raw: str, name: str, *, required: bool, problems: list) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        if required:
            problems.append((name, _("Give a score from 1 to 10.")))
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= 10:
        problems.append((name, _("Give a score from 1 to 10.")))
        return None
    return int(raw)


def clean_text(value: str) -> str:
    """NFC, no control characters (line breaks stay), trimmed; Frysk letters and emoji stay as typed."""
    value = unicodedata.normalize("NFC", (value or "").replace("\r\n", "\n"))
    value = "".join(ch for ch in value if ch == "\n" or ch == "\u200d" or unicodedata.category(ch)[0] != "C")
    return "\n".join(" ".join(line.split()) for line in value.split("\n")).strip()


def _new_rating(session: Session, found: Trajectory) -> Rating:
    family = session.get(Family, found.assignment.family_id)
    professional = next((p.id for m, p in found.ctx.rows if m.role == "professional"), None)
    return Rating(assignment_id=found.assignment.id, person_id=found.person.id, family_id=family.id,
                  municipality_id=family.municipality_id, offer_id=found.offer.id, provider_id=found.provider.id,
                  professional_id=professional, informant=found.informant)


def remember(session: Session, rating: Rating, change: str, *, by: str | None) -> RatingVersion:
    """Add one step to the rating's history, as the rating is now."""
    seq = (session.exec(select(sa.func.max(RatingVersion.seq)).where(RatingVersion.rating_id == rating.id)).one()
           or 0) + 1
    row = RatingVersion(rating_id=rating.id, seq=seq, change=change, version=rating.version, status=rating.status,
                        smiley=rating.smiley, text=rating.text, professional_score=rating.professional_score,
                        reject_reason=rating.reject_reason, changed_by_id=by,
                        **{name: getattr(rating, name) for name in SCORE_COLUMNS})
    session.add(row)
    session.flush()
    return row


def history(session: Session, *, rating_id: int) -> list[RatingVersion]:
    """Every step of a rating, oldest first."""
    return list(session.exec(select(RatingVersion).where(RatingVersion.rating_id == rating_id)
                             .order_by(RatingVersion.seq)).all())


def _actor(ctx: PlanContext, person: Person) -> AuditActor:
    return AuditActor(person.id, ctx.role_of(person.id) or "none")
