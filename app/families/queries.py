"""The family's access log as its page reads it: the lines this reader may see, in pages of a few days, each day
grouped by person, repeats counted."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from app.audit.models import AccessLogEntry
from app.audit.services import AuditActor, entries_between, record
from app.core.clock import AMSTERDAM
from app.identity.models import Person
from app.identity.policy import Item, Youth, can_view

DAYS_PER_PAGE = 7


@dataclass(frozen=True)
class LogLine:
    """One access-log entry as the family sees it: with names instead of ids."""

    entry: AccessLogEntry
    actor_name: str
    youth_name: str | None
    on_behalf_of_name: str | None


def family_log(session: Session, *, access, start: datetime, end: datetime) -> list[LogLine]:
    """Return a family's log entries in a period that this person may see (the age rules apply), and log the read."""
    family_id = access.family.id
    entries = entries_between(session, family_ids=[family_id], start=start, end=end)
    ids = {e.actor_id for e in entries} | {e.youth_id for e in entries} | {e.on_behalf_of_id for e in entries}
    people = {p.id: p for p in session.exec(select(Person).where(Person.id.in_(ids - {None})))} if ids else {}
    lines = []
    for entry in entries:
        youth = people.get(entry.youth_id)
        item = Item(kind="log", youth=Youth(youth.id, youth.age) if youth and youth.age is not None else None)
        if not can_view(access.actor, item):
            continue
        actor = people.get(entry.actor_id)
        lines.append(LogLine(entry, actor.name if actor else "", youth.given_name if youth else None,
                             people[entry.on_behalf_of_id].name if entry.on_behalf_of_id in people else None))
    record(session, event="access_log.view", action="read",
           actor=AuditActor(access.actor.person_id, access.actor.role), family_id=family_id,
           object_type="access_log", object_id=family_id)
    return lines


@dataclass
class Deed:
    """One kind of thing a person did on a day (the same event about the same young person), with its times."""

    event: str
    youth_name: str | None
    refused: bool
    times: list[datetime] = field(default_factory=list)  # newest first

    @property
    def count(self) -> int:
        return len(self.times)


@dataclass
class PersonDay:
    """What one person viewed or changed on one day, newest first."""

    name: str
    role: str
    deeds: list[Deed] = field(default_factory=list)


@dataclass
class LogDay:
    """One day of the log, its people in the order of their latest visit."""

    day: date
    people: list[PersonDay] = field(default_factory=list)


@dataclass(frozen=True)
class Window:
    """The days one page of the log covers (local dates, both included) and where it sits among the pages."""

    first: date
    last: date
    page: int
    pages: int


def window(first: date, last: date, page: int | None) -> Window:
    """The days of page `page` (1 is the newest) in the period from `first` to `last`; an unknown page is the
    nearest one there is."""
    pages = max(1, ((last - first).days // DAYS_PER_PAGE) + 1)
    page = min(max(page or 1, 1), pages)
    newest = last - timedelta(days=(page - 1) * DAYS_PER_PAGE)
    return Window(max(first, newest - timedelta(days=DAYS_PER_PAGE - 1)), newest, page, pages)


def group(lines: list[LogLine]) -> list[LogDay]:
    """Group log lines (newest first) by local day, then by person, then by what they did about whom."""
    days: dict[date, LogDay] = {}
    people: dict[tuple, PersonDay] = {}
    deeds: dict[tuple, Deed] = {}
    for line in lines:
        entry = line.entry
        day = entry.created_at.astimezone(AMSTERDAM).date()
        log_day = days.get(day) or days.setdefault(day, LogDay(day))
        who = (day, entry.actor_id, entry.actor_role, line.actor_name)
        if who not in people:
            people[who] = PersonDay(line.actor_name, entry.actor_role)
            log_day.people.append(people[who])
        refused = entry.outcome != "success"
        what = (*who, entry.event, line.youth_name, refused)
        if what not in deeds:
            deeds[what] = Deed(entry.event, line.youth_name, refused)
            people[who].deeds.append(deeds[what])
        deeds[what].times.append(entry.created_at)
    return list(days.values())
