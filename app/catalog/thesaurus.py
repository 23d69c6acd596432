"""The search thesaurus municipality staff edit (issue 24): versions saved in the database, the newest used by every
search; with none saved, the file in the repository (app/catalog/data/thesaurus.toml)."""

import re
import time
import tomllib
import weakref
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session, select

from app.catalog.models import ThesaurusVersion
from app.catalog.understand import THESAURUS_FILE, Thesaurus, file_thesaurus, thesaurus_from
from app.catalog.vocab import THEMES
from app.core.errors import NotAllowed, ValidationFailed
from app.identity.models import Person, StaffMembership, StaffRole

MAX_AGE = 60.0  # seconds a version another process saved may take to reach this one's searches
MAX_TEXT = 200_000
_CURRENT: "weakref.WeakKeyDictionary[object, tuple[float, Thesaurus]]" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Saved:
    """A version as the history lists it."""

    number: int
    note: str
    by: str
    at: object


def current(session: Session) -> Thesaurus:
    """The thesaurus searches use now (kept for a minute, or until this process saves a new version)."""
    engine = session.get_bind()
    cached = _CURRENT.get(engine)
    if cached is not None and time.monotonic() < cached[0]:
        return cached[1]
    newest = session.exec(select(ThesaurusVersion.text).order_by(ThesaurusVersion.number.desc()).limit(1)).first()
    found = thesaurus_from(tomllib.loads(newest)) if newest else file_thesaurus()
    _CURRENT[engine] = (time.monotonic() + MAX_AGE, found)
    return found


def current_text(session: Session) -> tuple[int, str]:
    """The newest version's number and text (0 and the repository's file when none was saved)."""
    newest = session.exec(select(ThesaurusVersion).order_by(ThesaurusVersion.number.desc()).limit(1)).first()
    if newest is None:
        return 0, THESAURUS_FILE.read_text(encoding="utf-8")
    return newest.number, newest.text


def version_text(session: Session, *, number: int) -> str | None:
    """The text of one saved version (to open it and save it again), or None."""
    return session.exec(select(ThesaurusVersion.text).where(ThesaurusVersion.number == number)).first()


def history(session: Session) -> list[Saved]:
    """Every saved version, newest first, with who saved it."""
    rows = session.exec(select(ThesaurusVersion, Person).join(Person, Person.id == ThesaurusVersion.created_by_id)
                        .order_by(ThesaurusVersion.number.desc())).all()
    return [Saved(version.number, version.note, person.name, version.created_at) for version, person in rows]


def may_edit(session: Session, *, person: Person | None) -> bool:
    """Whether this person may change the thesaurus: a functional manager of a municipality."""
    if person is None:
        return False
    found = session.exec(select(StaffMembership.id).where(
        StaffMembership.person_id == person.id, StaffMembership.role == StaffRole.FUNCTIONAL_MANAGER)).first()
    return found is not None


def save(session: Session, *, actor: Person, text: str, note: str) -> ThesaurusVersion:
    """Save a new version (checked first); searches in this process use it at once, others within a minute."""
    if not may_edit(session, person=actor):
        raise NotAllowed("only a functional manager changes the thesaurus")
    problems = check(text)
    if problems:
        raise ValidationFailed([("text", problem) for problem in problems])
    last = session.exec(select(ThesaurusVersion.number).order_by(ThesaurusVersion.number.desc()).limit(1)).first()
    version = ThesaurusVersion(number=(last or 0) + 1, text=text, note=note.strip()[:300], created_by_id=actor.id)
    session.add(version)
    session.flush()
    _CURRENT.pop(session.get_bind(), None)
    return version


def check(text: str) -> list[str]:
    """What is wrong with a thesaurus text, in words for the person who wrote it (nothing: it can be saved)."""
    if len(text) > MAX_TEXT:
        return [_("The text is too long: at most %(max)d characters.", max=MAX_TEXT)]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))  # none: "at end of document"
        return [_("The text cannot be read near line %(line)s: check the quotes, brackets and commas there.",
                  line=line.group(1) if line else max(1, len(text.splitlines())))]
    concepts = data.get("concept")
    if not isinstance(concepts, list) or not concepts:
        return [_("There are no concepts: each starts with a line [[concept]].")]
    problems, keys = [], set()
    for number, concept in enumerate(concepts, start=1):
        key = concept.get("key") if isinstance(concept, dict) else None
        if not isinstance(key, str) or not key.strip():
            problems.append(_("Concept %(number)d has no key.", number=number))
            continue
        if key in keys:
            problems.append(_("The key “%(key)s” is used twice.", key=key))
        keys.add(key)
        lists = {name: concept.get(name, []) for name in ("search", "nl", "fy", "en", "unconfirmed")}
        if any(not isinstance(value, list) or not all(isinstance(w, str) for w in value) for value in lists.values()):
            problems.append(_("In “%(key)s”, search, nl, fy, en and unconfirmed must be lists of words in quotes.",
                              key=key))
        elif "ages" in concept:
            ages = concept["ages"]
            if not (isinstance(ages, list) and len(ages) == 2 and all(type(a) is int and 0 <= a <= 27 for a in ages)
                    and ages[0] <= ages[1]):
                problems.append(_("In “%(key)s”, ages must be two whole numbers from 0 to 27, the youngest first.",
                                  key=key))
        elif not any(w.strip() for w in lists["search"]):
            problems.append(_("“%(key)s” has no search words: the catalog words it is found by.", key=key))
        theme = concept.get("theme", "")
        if theme and theme not in THEMES:
            problems.append(_("“%(key)s” names a theme that does not exist: “%(theme)s”.", key=key, theme=theme))
    return problems
