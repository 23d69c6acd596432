"""What the catalog shows that the ratings know: the figures of an offer and of a provider, and the order "best
rated first". The app factory installs the ratings' answers (`_install_hooks` in `app/__init__.py`); the catalog
never imports them.
"""

from sqlmodel import Session

from app.core.hooks import Questions

_answer = Questions()
install = _answer.install


def offer_figures(session: Session, *, offer_id: int):
    """An offer's rating and outcome figures (app.ratings.figures.Figures)."""
    return _answer("offer_figures")(session, offer_id=offer_id)


def provider_figures(session: Session, *, provider_id: int):
    """A provider's figures: all its offers together."""
    return _answer("provider_figures")(session, provider_id=provider_id)


def best_rated_first(session: Session, notes: list[str]) -> list:
    """ORDER BY terms that put offers with a published average first, best first (none when no offer has one);
    adds to `notes` what the result list says about it."""
    return _answer("best_rated_first")(session, notes)
