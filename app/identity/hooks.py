"""Questions that the identity and plan rules ask of a feature above them, answered without importing it.

Which provider organisations are assigned to which goals is the catalog's knowledge (its assignments), but the rules
below it need the answer: provider staff reach a family only through an assigned goal. The app factory installs the
catalog's and the plans' answers when the app is made (`_install_hooks` in `app/__init__.py`); these modules never
import them.
"""

from sqlmodel import Session

from app.core.hooks import Questions

_answer = Questions()
install = _answer.install


def provider_family_ids(session: Session, organisation_id: str) -> set[str]:
    """Families in which a goal is assigned to this provider organisation."""
    return _answer("provider_family_ids")(session, organisation_id)


def plan_assignments(session: Session, plan_id: str) -> list:
    """The plan's assignments with their offers, oldest first; `assignment_organisations` reads them."""
    return _answer("plan_assignments")(session, plan_id)


def assignment_organisations(rows: list) -> dict[str, set[str]]:
    """Provider organisations assigned to each goal, from `plan_assignments`."""
    return _answer("goal_organisations")(rows)


def items_about(session: Session, youth_id: str) -> list:
    """Plan items about this youth or written by them, as (id, title, item) tuples, oldest first."""
    return _answer("items_about")(session, youth_id)
