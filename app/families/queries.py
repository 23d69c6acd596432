"""The family's access log on a phone: pages of a few days, each day grouped by person, repeats counted."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.audit.services import LogLine
from app.core.clock import AMSTERDAM

DAYS_PER_PAGE = 7


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
