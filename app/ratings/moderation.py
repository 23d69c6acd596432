"""Checking ratings before they are published (the redactie), reports, the provider's reply, internal figures.

The redactie is municipality staff with the role "editor"; it checks the ratings of its own municipality's
families, against the code of conduct, without seeing who wrote them. Provider staff never moderate, never rate
and never see authors; they may reply once (editable) to a published rating of their own organisation.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, select

from app.audit.services import AuditActor, record
from app.catalog.models import Assignment, Offer, Provider
from app.core.clock import utcnow
from app.core.errors import NotAllowed, NotFound, ValidationFailed
from app.identity.models import Organisation, Person, StaffMembership
from app.notifications import providers as provider_news
from app.notifications.services import rating_checked
from app.plans.context import family_context
from app.plans.models import PlanItem
from app.ratings import figures
from app.ratings.models import OfferRatingFigure, Rating, RatingReply, RatingReport
from app.ratings.services import clean_text, remember
from app.ratings.vocab import MAX_CHARS, MAX_REPLY_WORDS, MIN_TRAJECTORIES, REJECT_REASONS

QUEUE_SIZE = 25


def editor_municipalities(session: Session, person: Person | None) -> set[int]:
    """The municipalities whose ratings this person checks (none: not in a redactie)."""
    if person is None:
        return set()
    return set(session.exec(select(Organisation.municipality_id).join(
        StaffMembership, StaffMembership.organisation_id == Organisation.id).where(
        StaffMembership.person_id == person.id, StaffMembership.role == "editor",
        Organisation.municipality_id.is_not(None))).all())


def municipality_of_staff(session: Session, person: Person | None) -> set[int]:
    """The municipalities this person works for (municipality staff and redactie)."""
    if person is None:
        return set()
    return set(session.exec(select(Organisation.municipality_id).join(
        StaffMembership, StaffMembership.organisation_id == Organisation.id).where(
        StaffMembership.person_id == person.id, StaffMembership.role.in_(("editor", "municipality_staff")),
        Organisation.municipality_id.is_not(None))).all())


def provider_organisations(session: Session, person: Person | None) -> set[str]:
    """The provider organisations this person works for."""
    if person is None:
        return set()
    return set(session.exec(select(StaffMembership.organisation_id).where(
        StaffMembership.person_id == person.id, StaffMembership.role == "provider_staff")).all())


@dataclass
class QueueItem:
    """A rating waiting for the redactie: what was written and about which help, never by whom."""

    rating: Rating
    offer: Offer
    provider: Provider
    reported: list[RatingReport]


def queue(session: Session, *, editor: Person) -> list[QueueItem]:
    """The ratings waiting for a check (new, changed or reported), oldest first, except those of a provider the
    editor works for; each read is logged."""
    municipalities = _require_editor(session, editor)
    own = provider_organisations(session, editor)
    rows = session.exec(select(Rating, Offer, Provider).join(Offer, Offer.id == Rating.offer_id)
                        .join(Provider, Provider.id == Rating.provider_id)
                        .where(Rating.status.in_(("pending", "reported")), Rating.municipality_id.in_(municipalities),
                               Provider.organisation_id.not_in(own) if own else sa.true())
                        .order_by(Rating.updated_at, Rating.id).limit(QUEUE_SIZE)).all()
    reports: dict[int, list[RatingReport]] = {}
    if rows:
        for report in session.exec(select(RatingReport).where(
                RatingReport.rating_id.in_([r.id for r, _o, _p in rows]), RatingReport.resolved_at.is_(None))):
            reports.setdefault(report.rating_id, []).append(report)
    for rating, _offer, _provider in rows:
        _log(session, editor, rating, "rating.check_view", "read")
    return [QueueItem(rating, offer, provider, reports.get(rating.id, [])) for rating, offer, provider in rows]


def publish(session: Session, *, editor: Person, rating_id: int) -> Rating:
    """The rating keeps to the code of conduct: publish it (again, after a report) and count it in the figures."""
    rating = _for_editor(session, editor, rating_id, ("pending", "reported"))
    rating.status, rating.reject_reason = "published", ""
    rating.published_at, rating.reviewed_by_id, rating.updated_at = utcnow(), editor.id, utcnow()
    session.add(rating)
    session.flush()
    figures.apply(session, rating, +1)
    _resolve_reports(session, rating)
    remember(session, rating, "publish", by=editor.id)
    _log(session, editor, rating, "rating.publish", "update")
    _tell_author(session, rating, "published")
    _tell_provider(session, rating)
    return rating


def reject(session: Session, *, editor: Person, rating_id: int, reason: str) -> Rating:
    """The rating breaks the code of conduct: not published (or no longer), the author hears why."""
    if reason not in REJECT_REASONS:
        raise ValidationFailed([("reason", _("Choose the rule this rating breaks."))])
    rating = _for_editor(session, editor, rating_id, ("pending", "reported"))
    rating.status, rating.reject_reason, rating.reviewed_by_id, rating.updated_at = "rejected", reason, editor.id, \
        utcnow()
    session.add(rating)
    session.flush()
    _resolve_reports(session, rating)
    remember(session, rating, "reject", by=editor.id)
    _log(session, editor, rating, "rating.reject", "update", detail=reason)
    _tell_author(session, rating, reason)
    return rating


def report(session: Session, *, person: Person, rating_id: int, reason: str = "") -> Rating:
    """Anyone signed in may report a published rating: it is hidden until the redactie checks it again."""
    rating = session.get(Rating, rating_id)
    if rating is None or rating.status not in ("published", "reported"):
        raise NotFound(str(rating_id))
    if rating.status == "published":
        figures.apply(session, rating, -1)  # before the status changes: it counts the other published ratings
        rating.status, rating.updated_at = "reported", utcnow()
        session.add(rating)
        session.flush()
        remember(session, rating, "report", by=person.id)
    session.add(RatingReport(rating_id=rating.id, reporter_id=person.id, reason=clean_text(reason)[:500]))
    session.flush()
    # Reporting reads nothing of the family (the rating is public and anonymous), so it goes in the system chain:
    # in the family's chain the family would see, in "who looked at our data", who reported their rating.
    record(session, event="rating.report", action="update", actor=AuditActor(person.id, "reporter"),
           family_id=None, object_type="rating", object_id=str(rating.id))
    return rating


def reply(session: Session, *, person: Person, rating_id: int, text: str) -> RatingReply:
    """Provider staff reply in public to a published rating of their organisation: once, and they may edit it."""
    rating = session.get(Rating, rating_id)
    if rating is None or rating.status != "published":
        raise NotFound(str(rating_id))
    provider = session.get(Provider, rating.provider_id)
    organisations = provider_organisations(session, person)
    if provider.organisation_id not in organisations:
        raise NotAllowed("reply")
    if provider.id not in _shown_providers(session, organisations)[0]:
        raise NotFound(str(rating_id))  # below the minimum the provider does not see single ratings
    text = clean_text(text)
    words = len(text.split())
    if not text:
        raise ValidationFailed([("text", _("Write your reply."))])
    if words > MAX_REPLY_WORDS or len(text) > MAX_CHARS:
        raise ValidationFailed([("text", _("Use at most %(max)d words.", max=MAX_REPLY_WORDS))])
    found = session.exec(select(RatingReply).where(RatingReply.rating_id == rating.id)).first()
    row = found or RatingReply(rating_id=rating.id, organisation_id=provider.organisation_id, author_id=person.id,
                               text=text, version=0)
    row.text, row.author_id, row.version, row.updated_at = text, person.id, row.version + 1, utcnow()
    session.add(row)
    session.flush()
    record(session, event="rating.reply", action="update" if found else "create",
           actor=AuditActor(person.id, "provider_staff"), family_id=rating.family_id, object_type="rating",
           object_id=str(rating.id))
    return row


@dataclass
class ProviderRatings:
    """What provider staff see of their organisation's published ratings: nothing individual below the minimum."""

    ratings: list[figures.PublicRating]
    too_few: bool  # some of the organisation's providers have published ratings, but from fewer than 5 trajectories
    minimum: int = MIN_TRAJECTORIES


def provider_ratings(session: Session, *, person: Person) -> ProviderRatings:
    """The published ratings (without authors) of this staff member's providers that reached the catalog's minimum
    of rated trajectories; below it, not even the month or who wrote it shows (one family could be recognised)."""
    organisations = provider_organisations(session, person)
    if not organisations:
        raise NotAllowed("provider ratings")
    enough, too_few = _shown_providers(session, organisations)
    if not enough:
        return ProviderRatings([], too_few)
    return ProviderRatings(figures.recent_texts(session, Rating.provider_id.in_(enough), limit=100)
                           + _without_text(session, enough), too_few)


def unanswered_count(session: Session, *, person: Person) -> int:
    """How many of the published ratings `provider_ratings` shows this staff member have no reply yet."""
    organisations = provider_organisations(session, person)
    enough = _shown_providers(session, organisations)[0] if organisations else []
    if not enough:
        return 0
    return session.execute(sa.select(sa.func.count()).select_from(Rating)
                           .outerjoin(RatingReply, RatingReply.rating_id == Rating.id)
                           .where(Rating.provider_id.in_(enough), Rating.status == "published",
                                  RatingReply.id.is_(None))).scalar_one()


def _shown_providers(session: Session, organisations: set[str]) -> tuple[list[int], bool]:
    """The organisations' providers with published ratings from enough trajectories, and whether any has fewer."""
    table = OfferRatingFigure.__table__
    rows = session.execute(select(table.c.provider_id, sa.func.sum(table.c.trajectories))
                           .join(Provider, Provider.id == table.c.provider_id)
                           .where(Provider.organisation_id.in_(organisations))
                           .group_by(table.c.provider_id)).all()
    return ([p for p, n in rows if n >= MIN_TRAJECTORIES],
            any(0 < n < MIN_TRAJECTORIES for _p, n in rows))


def _without_text(session: Session, providers: list[int]) -> list[figures.PublicRating]:
    rows = session.exec(select(Rating, RatingReply).outerjoin(RatingReply, RatingReply.rating_id == Rating.id)
                        .where(Rating.provider_id.in_(providers), Rating.status == "published", Rating.text == "")
                        .order_by(Rating.published_at.desc()).limit(100)).all()
    return [figures.PublicRating(r.id, r.informant, r.overall, r.smiley, "", r.published_at, reply)
            for r, reply in rows]


@dataclass
class ProfessionalFigure:
    """How families rated one jeugdprofessional (internal: the municipality only)."""

    name: str
    ratings: int
    average: float | None  # None below the minimum


def professional_figures(session: Session, *, person: Person) -> list[ProfessionalFigure]:
    """The jeugdprofessionals' scores from checked ratings of this municipality's families; never public."""
    municipalities = municipality_of_staff(session, person)
    if not municipalities:
        raise NotAllowed("professional figures")
    rows = session.exec(select(Person.given_name, Person.family_name, sa.func.count(Rating.professional_score),
                               sa.func.avg(Rating.professional_score))
                        .join(Person, Person.id == Rating.professional_id)
                        .where(Rating.municipality_id.in_(municipalities), Rating.status.in_(("published", "reported")),
                               Rating.professional_score.is_not(None))
                        .group_by(Person.id, Person.given_name, Person.family_name)
                        .order_by(Person.given_name)).all()
    record(session, event="ratings.professionals_view", action="read",
           actor=AuditActor(person.id, "municipality_staff"), object_type="ratings", object_id="professionals")
    return [ProfessionalFigure(f"{given} {family}".strip(), count,
                               float(average) if count >= MIN_TRAJECTORIES else None)
            for given, family, count, average in rows]


def _require_editor(session: Session, editor: Person) -> set[int]:
    municipalities = editor_municipalities(session, editor)
    if not municipalities:
        raise NotAllowed("redactie")
    return municipalities


def _for_editor(session: Session, editor: Person, rating_id: int, statuses: tuple[str, ...]) -> Rating:
    municipalities = _require_editor(session, editor)
    rating = session.get(Rating, rating_id)
    if rating is None or rating.municipality_id not in municipalities:
        raise NotFound(str(rating_id))
    provider = session.get(Provider, rating.provider_id)
    if provider.organisation_id in provider_organisations(session, editor):
        raise NotAllowed("own organisation")  # nobody checks ratings of the provider they work for
    if rating.status not in statuses:
        raise ValidationFailed([("reason", _("Someone else checked this rating already."))])
    return rating


def _resolve_reports(session: Session, rating: Rating) -> None:
    session.execute(sa.update(RatingReport).where(RatingReport.rating_id == rating.id,
                                                  RatingReport.resolved_at.is_(None)).values(resolved_at=utcnow()))


def _log(session: Session, editor: Person, rating: Rating, event: str, action: str, detail: str = "") -> None:
    record(session, event=event, action=action, actor=AuditActor(editor.id, "editor"), family_id=rating.family_id,
           object_type="rating", object_id=str(rating.id), detail=detail)


def _tell_provider(session: Session, rating: Rating) -> None:
    """Tell the provider's staff they can reply, once they see the rating (from the minimum of rated trajectories
    on; below it a single rating is not shown to them, so they are not told of it either)."""
    provider = session.get(Provider, rating.provider_id)
    if provider.id in _shown_providers(session, {provider.organisation_id})[0]:
        provider_news.rating_to_reply(session, family_id=rating.family_id,
                                      plan_id=session.get(Assignment, rating.assignment_id).plan_id,
                                      organisation_id=provider.organisation_id, rating_id=rating.id)


def _tell_author(session: Session, rating: Rating, outcome: str) -> None:
    """Tell the author in their language (the notification's text is made when they read it)."""
    assignment = session.get(Assignment, rating.assignment_id)
    rating_checked(session, ctx=family_context(session, assignment.plan_id),
                   goal=session.get(PlanItem, assignment.goal_id), person_id=rating.person_id, outcome=outcome)
