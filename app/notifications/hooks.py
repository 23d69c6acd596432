"""What the notifications send that a feature above them words or decides: the words of the ratings' topics, and
the daily rating invitations. The app factory installs the ratings' answers (`_install_hooks` in
`app/__init__.py`); the notifications never import them.
"""

from types import ModuleType

from sqlmodel import Session

from app.core.hooks import Questions

_answer = Questions()
install = _answer.install


def words(topic: str) -> ModuleType | None:
    """The module that words a topic a feature above owns (`describe(row, goal_text)`, `subject(row)`,
    `body(row)`), or None for the notifications' own topics."""
    return _answer("topic_words").get(topic)


def invite_raters(session: Session) -> None:
    """Ask everyone whose help ended or lasted 3 months to rate it (once a day, with the reminders)."""
    _answer("invite_raters")(session)


def expire_dossiers() -> None:
    """Run the retention job (destroy dossiers past their term, prune the access log), once a day."""
    _answer("expire_dossiers")()
