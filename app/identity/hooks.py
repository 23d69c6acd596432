"""Hooks that later features fill in: which families and goals a provider may reach (through assigned goals)."""

from sqlmodel import Session


def provider_family_ids(session: Session, organisation_id: str) -> set[str]:
    """Families in which a goal is assigned to this provider organisation (the catalog's assignments)."""
    from app.catalog.assignments import provider_family_ids as assigned_families

    return assigned_families(session, organisation_id)


def items_about(session: Session, youth_id: str) -> list:
    """Plan items about this youth or written by them, as (id, title, item) tuples, oldest first."""
    from sqlmodel import or_, select

    from app.plans.models import PlanItem

    rows = session.exec(select(PlanItem).where(or_(PlanItem.youth_id == youth_id, PlanItem.author_id == youth_id),
                                               PlanItem.deleted_at.is_(None)).order_by(PlanItem.created_at)).all()
    return [(item.id, item.text[:200], item) for item in rows]


def plan_assignments(session: Session, plan_id: str) -> list:
    """The plan's assignments with their offers (the catalog's); `assignment_organisations` reads them."""
    from app.catalog.assignments import plan_assignments as assignments

    return assignments(session, plan_id)


def assignment_organisations(rows: list) -> dict[str, set[str]]:
    """Provider organisations assigned to each goal, from `plan_assignments`."""
    from app.catalog.assignments import goal_organisations

    return goal_organisations(rows)
