"""Hooks later features fill in: which families a provider may reach (through assigned goals)."""

from sqlmodel import Session


def provider_family_ids(session: Session, organisation_id: str) -> set[str]:
    """Families in which a goal is assigned to this provider organisation.

    Goals and their assignment to providers arrive with the catalog; until then a provider reaches no
    family, which is the safe answer.
    """
    return set()


def items_about(session: Session, youth_id: str) -> list:
    """Plan items about this youth or written by them, as (id, title, policy Item) tuples.

    The plan's content arrives with the plan issue; the 16th-birthday review already asks about whatever
    items exist.
    """
    return []
