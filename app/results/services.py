"""Judging a goal's result: each person's verdict, the family verdict by the age rules, corrections, conversations.

Nobody sees the others' verdicts before giving their own (no anchoring). The family verdict is the unanimous verdict
of the people whose consent the age rules require; the provider's and professional's verdicts are shown, never
counted; a child under 12 gives a smiley verdict that is their voice, not their vote. Once the family verdict is set
the family's verdicts are final; the professional may correct it with a reason, and the old row stays. The provider
and the professional may still give or revise their own verdict then: it is shown, and changes nothing else.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlmodel import Session, select

from app.core.clock import utcnow
from app.core.errors import ValidationFailed
from app.identity.models import Person
from app.notifications.providers import verdict_given
from app.notifications.services import result_divided
from app.results import events
from app.results.models import ConversationNote, FamilyVerdict, OutcomeAnswer, ResultVerdict
from app.results.trajectory import Trajectory
from app.results.vocab import VERDICTS

MAX_EXPLANATION = 2000
MAX_NOTE = 4000
OBSERVERS = frozenset({"provider", "professional"})  # their verdicts are shown, never counted


@dataclass
class Judging:
    """What one person may see and do on a goal's result page."""

    trajectory: Trajectory
    moment: str
    mine: ResultVerdict | None
    verdicts: list[ResultVerdict]  # current ones; empty until the person gave their own (or the verdict is set)
    history: list[ResultVerdict]  # earlier versions, shown with the current ones
    given_by: set[str]  # who gave a verdict (names are shown, their verdicts are not)
    family: FamilyVerdict | None
    family_history: list[FamilyVerdict]
    notes: list[ConversationNote] = field(default_factory=list)
    outcome: OutcomeAnswer | None = None
    names: dict[str, str] = field(default_factory=dict)  # first names of everyone who judged or wrote
    divided: bool = False  # all who decide judged, and they differ (shown without revealing the verdicts)

    @property
    def may_judge(self) -> bool:
        capacity = self.trajectory.capacity()
        return capacity is not None and self.is_open and (self.family is None or capacity in OBSERVERS)

    @property
    def is_open(self) -> bool:
        """Judging is open at the end once care stopped, at an evaluation once it started."""
        a = self.trajectory.assignment
        return (a.care_stopped_on is not None) if self.moment == "end" else (a.care_started_on is not None)


def judging(session: Session, *, trajectory: Trajectory, moment: str = "end") -> Judging:
    """Load the verdicts of one moment as this person may see them, and log the read."""
    view = _load(session, trajectory, moment)
    trajectory.log(session, event="result.view", action="read", object_type="goal", object_id=trajectory.goal.id,
                   detail=moment)
    return view


def _load(session: Session, trajectory: Trajectory, moment: str) -> Judging:
    assignment = trajectory.assignment
    rows = list(session.exec(select(ResultVerdict).where(ResultVerdict.assignment_id == assignment.id,
                                                         ResultVerdict.moment == moment)
                             .order_by(ResultVerdict.created_at, ResultVerdict.id)).all())
    current = [row for row in rows if row.superseded_at is None]
    me = trajectory.ctx.actor.person_id
    mine = next((row for row in current if row.person_id == me), None)
    families = list(session.exec(select(FamilyVerdict).where(FamilyVerdict.assignment_id == assignment.id,
                                                             FamilyVerdict.moment == moment)
                                 .order_by(FamilyVerdict.id)).all())
    family = next((row for row in families if row.current), None)
    see_all = mine is not None or family is not None
    view = Judging(trajectory, moment, mine, current if see_all else [],
                   [row for row in rows if row.superseded_at is not None] if see_all else [],
                   {row.person_id for row in current}, family, families)
    view.divided = family is None and _outcome(trajectory, current) == "divided"
    if not trajectory.is_provider:  # a conversation with the family stays between the family and the professional
        view.notes = list(session.exec(select(ConversationNote).where(
            ConversationNote.assignment_id == assignment.id, ConversationNote.moment == moment)
            .order_by(ConversationNote.created_at)).all())
    view.outcome = session.exec(select(OutcomeAnswer).where(OutcomeAnswer.assignment_id == assignment.id,
                                                            OutcomeAnswer.person_id == me)).first()
    view.names = {person.id: person.given_name for person in trajectory.ctx.people.values()}
    staff = {row.person_id for row in rows} - set(view.names)  # provider staff are no family members
    if staff:
        view.names |= {p.id: p.given_name for p in session.exec(select(Person).where(Person.id.in_(staff))).all()}
    return view


def judge(session: Session, *, trajectory: Trajectory, moment: str, verdict: str,
          explanation: str) -> ResultVerdict:
    """Give or revise one's own verdict; settle the family verdict when everyone who counts agrees."""
    if trajectory.capacity() is None:
        raise trajectory.refuse("result.judge")
    view = _load(session, trajectory, moment)
    late = view.family is not None and trajectory.capacity() in OBSERVERS
    if view.family is not None and not late:
        raise ValidationFailed([("verdict", _("The family verdict is set, so the verdicts are final. Is something "
                                              "wrong? Ask your youth care professional to correct it."))])
    if not view.is_open:
        raise ValidationFailed([("verdict", _("You can judge the result once the help has ended.") if moment == "end"
                                 else _("You can judge the result once the help has started."))])
    explanation = (explanation or "").strip()
    problems = []
    if verdict not in VERDICTS:
        problems.append(("verdict", _("Choose one of the answers.")))
    if not explanation and not trajectory.child_voice:
        problems.append(("explanation", _("Write in a few words why you think so.")))
    problems += _too_long("explanation", explanation, MAX_EXPLANATION)
    if problems:
        raise ValidationFailed(problems)
    now, previous = utcnow(), view.mine
    if previous is not None:
        previous.superseded_at = now
        session.add(previous)
    row = ResultVerdict(assignment_id=trajectory.assignment.id, goal_id=trajectory.goal.id,
                        person_id=trajectory.ctx.actor.person_id, capacity=trajectory.capacity(), moment=moment,
                        verdict=verdict, explanation=explanation, child_voice=trajectory.child_voice,
                        version=previous.version + 1 if previous else 1, created_at=now)
    session.add(row)
    session.flush()
    trajectory.log(session, event="result.judge", action="update" if previous else "create",
                   object_type="result_verdict", object_id=str(row.id),
                   detail=f"{moment}:after_family_verdict" if late else moment)
    if not late:  # after the family verdict an observer's verdict is shown only: no new family verdict, no event
        _settle(session, trajectory, moment, _current(session, trajectory, moment))
    return row


def _current(session: Session, trajectory: Trajectory, moment: str) -> list[ResultVerdict]:
    return list(session.exec(select(ResultVerdict).where(ResultVerdict.assignment_id == trajectory.assignment.id,
                                                         ResultVerdict.moment == moment,
                                                         ResultVerdict.superseded_at.is_(None))).all())


def _settle(session: Session, trajectory: Trajectory, moment: str, current: list[ResultVerdict]) -> None:
    """Set the family verdict when all who count gave the same verdict; otherwise mark the goal open or divided."""
    state = _outcome(trajectory, current)
    if state in VERDICTS:
        family = FamilyVerdict(assignment_id=trajectory.assignment.id, goal_id=trajectory.goal.id, moment=moment,
                               verdict=state)
        session.add(family)
        session.flush()
        trajectory.log(session, event="result.family_verdict", action="create", object_type="family_verdict",
                       object_id=str(family.id), detail=f"{moment}:{family.verdict}")
        _announce(session, trajectory, family, current)
        return
    _set_state(session, trajectory, moment, state)
    if state == "divided":
        result_divided(session, ctx=trajectory.ctx, goal=trajectory.goal, assignment_id=trajectory.assignment.id,
                       moment=moment)


def _outcome(trajectory: Trajectory, current: list[ResultVerdict]) -> str:
    """'open' until all who decide judged; then their common verdict, or 'divided'."""
    counting = trajectory.counting
    votes = {v.person_id: v.verdict for v in current if v.person_id in counting and not v.child_voice}
    if not counting or set(votes) < counting:
        return "open"
    return next(iter(votes.values())) if len(set(votes.values())) == 1 else "divided"


def _announce(session: Session, trajectory: Trajectory, family: FamilyVerdict, current: list[ResultVerdict],
              corrects: str | None = None) -> None:
    """At the end, the family verdict goes to the municipality (result.achieved / result.not_achieved); whoever
    helps with the goal at the provider hears of it, at either moment."""
    _set_state(session, trajectory, family.moment, family.verdict)
    verdict_given(session, ctx=trajectory.ctx, goal=trajectory.goal, moment=family.moment,
                  corrected=corrects is not None, verdict_id=family.id)
    if family.moment == "end":
        events.emit_result(session, assignment=trajectory.assignment, family=family, verdicts=current,
                           counting=trajectory.counting, corrects=corrects)


def _set_state(session: Session, trajectory: Trajectory, moment: str, state: str) -> None:
    if moment == "end":  # the plan page shows where judging at the end stands
        trajectory.assignment.result_state = state
        session.add(trajectory.assignment)
        session.flush()


def correct(session: Session, *, trajectory: Trajectory, moment: str, verdict: str, reason: str) -> FamilyVerdict:
    """The professional corrects a family verdict with a reason; the old one stays in the history."""
    if not trajectory.is_professional:
        raise trajectory.refuse("result.correct")
    view = _load(session, trajectory, moment)
    old, reason = view.family, (reason or "").strip()
    problems = []
    if old is None:
        problems.append(("verdict", _("There is no family verdict to correct yet.")))
    elif verdict not in VERDICTS:
        problems.append(("verdict", _("Choose one of the answers.")))
    elif verdict == old.verdict:
        problems.append(("verdict", _("This is already the family verdict.")))
    if not reason:
        problems.append(("reason", _("Write why the family verdict is corrected.")))
    problems += _too_long("reason", reason, MAX_EXPLANATION)
    if problems:
        raise ValidationFailed(problems)
    old.current = False
    session.add(old)
    session.flush()  # the old row stops being current before the new one is (one current per moment)
    new = FamilyVerdict(assignment_id=old.assignment_id, goal_id=old.goal_id, moment=moment, verdict=verdict,
                        corrected_from_id=old.id, corrected_by_id=trajectory.ctx.actor.person_id,
                        correction_reason=reason)
    session.add(new)
    session.flush()
    trajectory.log(session, event="result.correct", action="update", object_type="family_verdict",
                   object_id=str(new.id), detail=f"{moment}:{old.verdict}->{verdict}")
    _announce(session, trajectory, new, _current(session, trajectory, moment), corrects=old.verdict)
    return new


def record_conversation(session: Session, *, trajectory: Trajectory, moment: str, text: str) -> ConversationNote:
    """The professional records a conversation with the family about their verdicts."""
    if not trajectory.is_professional:
        raise trajectory.refuse("result.conversation")
    text = (text or "").strip()
    problems = [("text", _("Write what you talked about."))] if not text else _too_long("text", text, MAX_NOTE)
    if problems:
        raise ValidationFailed(problems)
    note = ConversationNote(assignment_id=trajectory.assignment.id, moment=moment,
                            author_id=trajectory.ctx.actor.person_id, text=text)
    session.add(note)
    session.flush()
    trajectory.log(session, event="result.conversation", action="create", object_type="conversation_note",
                   object_id=str(note.id), detail=moment)
    return note


def _too_long(name: str, text: str, limit: int) -> list[tuple[str, str]]:
    """The problem with a text over its limit (none when it fits)."""
    if len(text) <= limit:
        return []
    return [(name, _("Use at most %(max)d characters. Now: %(count)d.", max=limit, count=len(text)))]
