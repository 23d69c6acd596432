"""The family's access log on a phone: a page of days at a time, each day grouped by person, repeats counted."""

import re
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import force_locale, format_date

from app.audit import services
from app.audit.services import AuditActor, record
from app.core.clock import AMSTERDAM, today
from app.extensions import db
from app.families import queries
from tests.conftest import demo_id, family_id, sign_in


def log_on(app, day: date, hour: int, *, who: str, role: str, event: str = "plan.view", youth: str | None = None,
           monkeypatch) -> None:
    """Write one log entry as if it happened on this local day and hour."""
    moment = datetime.combine(day, time(hour), tzinfo=AMSTERDAM).astimezone(UTC)
    monkeypatch.setattr(services, "utcnow", lambda: moment)
    with app.app_context(), db.new_session() as session:
        record(session, event=event, action="read", actor=AuditActor(demo_id(app, who), role),
               family_id=family_id(app), youth_id=demo_id(app, youth) if youth else None)
        session.commit()
    monkeypatch.undo()


def test_a_period_is_split_into_pages_of_seven_days_newest_first():
    first, last = date(2026, 11, 1), date(2026, 11, 30)
    assert queries.window(first, last, None) == queries.Window(date(2026, 11, 24), last, 1, 5)
    assert queries.window(first, last, 2) == queries.Window(date(2026, 11, 17), date(2026, 11, 23), 2, 5)
    assert queries.window(first, last, 5) == queries.Window(first, date(2026, 11, 2), 5, 5)
    assert queries.window(first, last, 99).page == 5  # beyond the last page: the last page
    assert queries.window(first, last, -3).page == 1
    assert queries.window(last, last, None) == queries.Window(last, last, 1, 1)


def test_entries_are_grouped_by_day_then_person_with_repeats_counted(app, monkeypatch):
    yesterday, earlier = today() - timedelta(days=1), today() - timedelta(days=3)
    for hour in (9, 11, 15):
        log_on(app, yesterday, hour, who="mark", role="professional", monkeypatch=monkeypatch)
    log_on(app, yesterday, 12, who="sanne", role="parent", monkeypatch=monkeypatch)
    log_on(app, yesterday, 10, who="mark", role="professional", event="item.view", youth="tom",
           monkeypatch=monkeypatch)
    log_on(app, earlier, 8, who="erik", role="parent", monkeypatch=monkeypatch)
    with app.test_request_context():
        from app.identity.access import family_access
        from app.identity.models import Person

        access = family_access(db.session, person=db.session.get(Person, demo_id(app, "sanne")),
                               family_id=family_id(app))
        start = datetime.combine(earlier, time.min, tzinfo=AMSTERDAM)
        days = queries.group(queries.family_log(db.session, access=access, start=start,
                                               end=datetime.combine(today(), time.min, tzinfo=AMSTERDAM)))
    assert [d.day for d in days] == [yesterday, earlier]
    assert [(p.name, p.role) for p in days[0].people] == [("Mark Visser", "professional"),
                                                           ("Sanne Hoekstra", "parent")]
    mark = days[0].people[0]
    assert [(d.event, d.youth_name, d.count) for d in mark.deeds] == [("plan.view", None, 3), ("item.view", "Tom", 1)]
    assert [t.astimezone(AMSTERDAM).hour for t in mark.deeds[0].times] == [15, 11, 9]  # newest first
    assert [p.name for p in days[1].people] == ["Erik de Boer"]


def test_the_page_shows_a_week_of_days_and_links_to_older_and_newer_days_in_the_same_language(app, client,
                                                                                            monkeypatch):
    recent, old = today() - timedelta(days=2), today() - timedelta(days=10)
    for hour in (9, 10, 11, 12):
        log_on(app, recent, hour, who="mark", role="professional", monkeypatch=monkeypatch)
    log_on(app, old, 14, who="erik", role="parent", monkeypatch=monkeypatch)
    sign_in(client, "sanne")
    fam = family_id(app)
    html = client.get(f"/gezinnen/{fam}/wie-heeft-gekeken?lang=nl").get_data(as_text=True)
    with app.test_request_context(), force_locale("nl"):
        recent_heading, old_heading = format_date(recent, "full"), format_date(old, "full")
    assert f">{recent_heading}</h3>" in html
    assert old_heading not in html  # ten days ago is on the next page
    assert "4 keer: <time" in html
    assert html.count("Mark Visser") == 1
    older = re.search(r'<a class="pager__link" rel="next" href="([^"]+)">Oudere dagen</a>', html)
    assert older is not None
    assert 'rel="prev"' not in html
    assert older.group(1).replace("&amp;", "&") == f"/gezinnen/{fam}/wie-heeft-gekeken?pagina=2&lang=nl"
    assert "Pagina 1 van 5" in html
    page_two = client.get(older.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert f">{old_heading}</h3>" in page_two
    assert "Erik de Boer" in page_two
    assert recent_heading not in page_two
    newer = re.search(r'<a class="pager__link" rel="prev" href="([^"]+)">Nieuwere dagen</a>', page_two)
    assert newer is not None
    assert newer.group(1).replace("&amp;", "&").endswith("?pagina=1&lang=nl")
