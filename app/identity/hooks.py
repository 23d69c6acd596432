"""Hooks later features fill in: which families a provider may reach (through assigned goals)."""

from sqlmodel import Session


def provider_family_ids(session: Session, organisation_id: str) -> set[str]:
    """Families in which a goal is assigned to this provider organisation.

    Goals and their assignment to providers arrive with the catalog; until then a provider reaches no
    family, which is the safe answer.
    """
    return set()


def items_about(session: Session, youth_id: str) -> list:
    """Plan items about this youth or written by them, as (id, title, item) tuples, oldest first."""
    from sqlmodel import or_, select

    from app.plans.models import PlanItem

    rows = session.exec(select(PlanItem).where(or_(PlanItem.youth_id == youth_id, PlanItem.author_id == youth_id),
                                               PlanItem.deleted_at.is_(None)).order_by(PlanItem.created_at)).all()
    return [(item.id, item.text[:200], item) for item in rows]


def goal_organisations(session: Session, plan_id: str) -> dict[str, set[str]]:
    """Provider organisations assigned to each goal of a plan (filled by the catalog's assignments; none yet)."""
    return {}
