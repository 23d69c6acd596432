"""What the catalog shows per offer and provider: rating figures, recent texts, replies and outcome figures.

Rating totals live in `offer_rating_figure`, changed by one UPDATE ... SET x = x + 1 when a rating is published or
unpublished (safe with two editors at once: the trajectory's row is locked while its ratings are counted); a
provider's figures add up its offers' rows. Outcome figures come from the results tables by indexed queries (a
handful of trajectories per offer). Nothing shows below MIN_TRAJECTORIES trajectories: "not enough ratings yet".
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, select

from app.catalog.models import Assignment, Offer
from app.catalog.vocab import DROPOUT_REASONS
from app.ratings.models import OfferRatingFigure, Rating, RatingReply
from app.ratings.vocab import ASPECTS, MIN_TRAJECTORIES, RECENT_TEXTS
from app.results.models import FamilyVerdict, OutcomeAnswer
from app.results.vocab import INDEPENDENCE

SUMMED = ("trajectories", "ratings", "overall_sum", *(f"d{n}" for n in range(1, 11)),
          *(f"{a}_{part}" for a in ASPECTS for part in ("sum", "n")), "smiley_happy", "smiley_so_so", "smiley_sad")


# Keeping the totals in step

def apply(session: Session, rating: Rating, sign: int) -> None:
    """Add (sign 1) or take away (sign -1) a rating that becomes published or stops being published.

    Whether the trajectory counts depends on its other published ratings, so the trajectory's row is locked first
    (PostgreSQL: SELECT ... FOR UPDATE; SQLite has one writer at a time): two editors publishing two ratings of
    one trajectory at once count it once."""
    session.execute(select(Assignment.id).where(Assignment.id == rating.assignment_id).with_for_update())
    _ensure_row(session, rating)
    others = session.exec(select(sa.func.count()).select_from(Rating).where(
        Rating.assignment_id == rating.assignment_id, Rating.status == "published", Rating.id != rating.id)).one()
    changes = {"trajectories": sign if others == 0 else 0}
    if rating.overall is not None:
        changes |= {"ratings": sign, "overall_sum": sign * rating.overall, f"d{rating.overall}": sign}
    for aspect in ASPECTS:
        if getattr(rating, aspect) is not None:
            changes |= {f"{aspect}_sum": sign * getattr(rating, aspect), f"{aspect}_n": sign}
    if rating.smiley:
        changes[f"smiley_{rating.smiley}"] = sign
    table = OfferRatingFigure.__table__
    session.execute(sa.update(table).where(table.c.offer_id == rating.offer_id)
                    .values({name: table.c[name] + value for name, value in changes.items() if value}))
    session.execute(sa.update(table).where(table.c.offer_id == rating.offer_id).values(average=_average(table)))


def _average(table):
    return sa.case((sa.and_(table.c.trajectories >= MIN_TRAJECTORIES, table.c.ratings > 0),
                    sa.cast(table.c.overall_sum, sa.Float) / table.c.ratings), else_=None)


def _ensure_row(session: Session, rating: Rating) -> None:
    values = {"offer_id": rating.offer_id, "provider_id": rating.provider_id}
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(OfferRatingFigure).values(**values, **{name: 0 for name in SUMMED})
                    .on_conflict_do_nothing())


def rebuild(session: Session) -> int:
    """Recompute every offer's totals from the published ratings (after a bulk load, or to check); return rows."""
    session.execute(sa.delete(OfferRatingFigure))
    published = select(Rating).where(Rating.status == "published").subquery()
    per_trajectory = select(published.c.offer_id, sa.func.count(sa.distinct(published.c.assignment_id)).label(
        "trajectories")).group_by(published.c.offer_id).subquery()
    columns = [published.c.offer_id, sa.func.min(published.c.provider_id).label("provider_id"),
               sa.func.count(published.c.overall).label("ratings"),
               sa.func.coalesce(sa.func.sum(published.c.overall), 0).label("overall_sum")]
    columns += [sa.func.sum(sa.case((published.c.overall == n, 1), else_=0)).label(f"d{n}") for n in range(1, 11)]
    for aspect in ASPECTS:
        columns += [sa.func.coalesce(sa.func.sum(published.c[aspect]), 0).label(f"{aspect}_sum"),
                    sa.func.count(published.c[aspect]).label(f"{aspect}_n")]
    columns += [sa.func.sum(sa.case((published.c.smiley == s, 1), else_=0)).label(f"smiley_{s}")
                for s in ("happy", "so_so", "sad")]
    totals = select(*columns).group_by(published.c.offer_id).subquery()
    names = ["offer_id", "provider_id", "trajectories", *(n for n in SUMMED if n != "trajectories")]
    source = select(totals.c.offer_id, totals.c.provider_id, per_trajectory.c.trajectories,
                    *(totals.c[n] for n in SUMMED if n != "trajectories")).join(
        per_trajectory, per_trajectory.c.offer_id == totals.c.offer_id)
    session.execute(sa.insert(OfferRatingFigure).from_select(names, source))
    table = OfferRatingFigure.__table__
    session.execute(sa.update(table).values(average=_average(table), updated_at=sa.func.current_timestamp()))
    return session.exec(select(sa.func.count()).select_from(OfferRatingFigure)).one()


# Reading them

@dataclass
class PublicRating:
    """A published rating as anyone sees it: no author, only whether a young person or a parent wrote it."""

    id: int
    informant: str
    overall: int | None
    smiley: str | None
    text: str
    published_at: object
    reply: RatingReply | None


@dataclass
class Outcomes:
    """The national outcome figures of the ended trajectories (each None below the minimum)."""

    achieved_share: float | None = None  # of the family verdicts at the end, how many "achieved"
    verdicts: int = 0
    usefulness: float | None = None  # average of "how useful was the help" (1-10)
    answered: int = 0
    dropout_share: float | None = None  # uitval among ended trajectories
    ended: int = 0
    independence: dict[str, float] = field(default_factory=dict)  # CBS 3.1 code -> share of the answers


@dataclass
class Figures:
    """An offer's or a provider's figures; `enough` is False below the minimum and then nothing else shows."""

    trajectories: int = 0
    ratings: int = 0
    average: float | None = None
    distribution: list[int] = field(default_factory=lambda: [0] * 10)
    aspects: dict[str, float | None] = field(default_factory=dict)
    smileys: dict[str, int] = field(default_factory=dict)
    texts: list[PublicRating] = field(default_factory=list)
    outcomes: Outcomes = field(default_factory=Outcomes)
    minimum: int = MIN_TRAJECTORIES

    @property
    def enough(self) -> bool:
        return self.trajectories >= MIN_TRAJECTORIES

    @property
    def any_outcomes(self) -> bool:
        o = self.outcomes
        return any(v is not None for v in (o.achieved_share, o.usefulness, o.dropout_share)) or bool(o.independence)


def offer_figures(session: Session, *, offer_id: int) -> Figures:
    """The figures of one offer."""
    where = OfferRatingFigure.offer_id == offer_id
    return _figures(session, where, Rating.offer_id == offer_id, Assignment.offer_id == offer_id)


def provider_figures(session: Session, *, provider_id: int) -> Figures:
    """The figures of a provider: all its offers together."""
    offers = select(Offer.id).where(Offer.provider_id == provider_id).scalar_subquery()
    return _figures(session, OfferRatingFigure.provider_id == provider_id, Rating.provider_id == provider_id,
                    Assignment.offer_id.in_(offers))


def _figures(session: Session, where, rating_where, assignment_where) -> Figures:
    table = OfferRatingFigure.__table__
    row = session.execute(select(*(sa.func.coalesce(sa.func.sum(table.c[n]), 0).label(n) for n in SUMMED))
                          .where(where)).one()
    figures = Figures(trajectories=row.trajectories, ratings=row.ratings, outcomes=outcomes(session, assignment_where))
    if not figures.enough:
        return figures
    figures.average = row.overall_sum / row.ratings if row.ratings else None
    figures.distribution = [getattr(row, f"d{n}") for n in range(1, 11)]
    figures.aspects = {a: (getattr(row, f"{a}_sum") / getattr(row, f"{a}_n") if getattr(row, f"{a}_n") else None)
                       for a in ASPECTS}
    figures.smileys = {s: getattr(row, f"smiley_{s}") for s in ("happy", "so_so", "sad")}
    figures.texts = recent_texts(session, rating_where)
    return figures


def recent_texts(session: Session, rating_where, limit: int = RECENT_TEXTS) -> list[PublicRating]:
    """The latest published ratings with a text, with the provider's reply."""
    rows = session.exec(select(Rating, RatingReply).outerjoin(RatingReply, RatingReply.rating_id == Rating.id)
                        .where(rating_where, Rating.status == "published", Rating.text != "")
                        .order_by(Rating.published_at.desc(), Rating.id.desc()).limit(limit)).all()
    return [PublicRating(r.id, r.informant, r.overall, r.smiley, r.text, r.published_at, reply) for r, reply in rows]


def outcomes(session: Session, assignment_where) -> Outcomes:
    """Share achieved (family verdicts at the end), average usefulness, going on without help (share per answer)
    and drop-out, each from 5 trajectories."""
    ended = select(sa.func.count(), sa.func.sum(sa.case((Assignment.stop_reason.in_(DROPOUT_REASONS), 1), else_=0))
                   ).where(assignment_where, Assignment.care_stopped_on.is_not(None))
    verdicts = select(sa.func.count(), sa.func.sum(sa.case((FamilyVerdict.verdict == "achieved", 1), else_=0))
                      ).join(Assignment, Assignment.id == FamilyVerdict.assignment_id).where(
        assignment_where, FamilyVerdict.current, FamilyVerdict.moment == "end")
    answers = select(sa.func.count(sa.distinct(OutcomeAnswer.assignment_id)), sa.func.avg(OutcomeAnswer.usefulness),
                     sa.func.count(), *(sa.func.sum(sa.case((OutcomeAnswer.independence == code, 1), else_=0))
                                        for code in INDEPENDENCE)
                     ).join(Assignment, Assignment.id == OutcomeAnswer.assignment_id).where(assignment_where)
    (ended_n, dropped), (verdict_n, achieved), (answered, useful, given, *options) = (
        session.execute(statement).one() for statement in (ended, verdicts, answers))
    found = Outcomes(verdicts=verdict_n, answered=answered, ended=ended_n)
    if verdict_n >= MIN_TRAJECTORIES:
        found.achieved_share = (achieved or 0) / verdict_n
    if answered >= MIN_TRAJECTORIES:
        found.usefulness = float(useful)
        found.independence = {code: (n or 0) / given for code, n in zip(INDEPENDENCE, options, strict=True)}
    if ended_n >= MIN_TRAJECTORIES:
        found.dropout_share = (dropped or 0) / ended_n
    return found


def best_rated_first(session: Session, notes: list[str]) -> list:
    """The catalog's "best rated first": offers with a published average (from 5 trajectories) first, best first;
    the others after them. No terms (and the note "no_ratings") when no offer has one yet."""
    if session.exec(select(OfferRatingFigure.offer_id).where(OfferRatingFigure.average.is_not(None)).limit(1)
                    ).first() is None:
        notes.append("no_ratings")  # no offer has enough ratings yet: the best match decides
        return []
    notes.append("rated_first")
    average = (select(OfferRatingFigure.average).where(OfferRatingFigure.offer_id == Offer.id)
               .correlate(Offer).scalar_subquery())
    return [sa.func.coalesce(average, -1.0).desc()]
