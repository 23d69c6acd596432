"""Notification e-mails in the recipient's language: at once for family members, a daily digest for professionals;
provider staff get new work (a goal, a complaint) at once and the rest in the digest (models.AT_ONCE).

No e-mail contains the family's own words: it says what happened and links to Ons Plan, where the reader signs
in and sees what the age rules let them see. A complaint or a rating names the organisation, never the family.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from contextlib import nullcontext

import sqlalchemy as sa
from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session, select

from app.core import mail
from app.core.after_commit import run_after_commit
from app.core.clock import utcnow
from app.extensions import db
from app.identity.models import Family, Person
from app.notifications import hooks, provider_notes
from app.notifications.models import DIVIDED, HELP, ORGANISATION_TOPICS, PROVIDER_TOPICS, MailMode, Notification, Topic
from app.plans.context import PlanContext, family_context, may_see
from app.plans.models import PlanItem


def send_after_commit(session: Session, notification_ids: list[int]) -> None:
    """Send these e-mails once the transaction commits (a rollback sends nothing; failures wait for a retry)."""
    if not notification_ids:
        return
    app = current_app._get_current_object()
    base_url = mail.site_url()  # now, while the request (if any) says which address the person used

    def _send(queued: list[list[int]]) -> None:
        with app.app_context(), mail.link_context(base_url), db.new_session() as fresh:
            send_pending(fresh, ids=[i for ids in queued for i in ids])

    run_after_commit(session, "notification_mails", list(notification_ids), _send)


def send_pending(session: Session, *, ids: Iterable[int] | None = None) -> int:
    """Send the instant e-mails not yet sent (these ids, or all); each is claimed first so none goes out twice."""
    statement = select(Notification.id).where(Notification.mail == MailMode.INSTANT, Notification.emailed_at.is_(None))
    if ids is not None:
        statement = statement.where(Notification.id.in_(list(ids)))
    sent = 0
    for notification_id in session.exec(statement.order_by(Notification.id)).all():
        claimed = session.execute(sa.update(Notification).where(Notification.id == notification_id,
                                                                Notification.emailed_at.is_(None))
                                  .values(emailed_at=utcnow())).rowcount
        session.commit()
        if not claimed:
            continue  # another process took it
        try:
            sent += _send_one(session, session.get(Notification, notification_id))
        except Exception:  # noqa: BLE001 - the mail server is away: leave it for `flask notifications send`
            current_app.logger.warning("notification mail not sent; will retry")
            session.execute(sa.update(Notification).where(Notification.id == notification_id)
                            .values(emailed_at=None))
            session.commit()
    return sent


def _send_one(session: Session, row: Notification) -> int:
    """Write and send one notification's e-mail, if the person may still see what it is about."""
    person = session.get(Person, row.person_id)
    item = session.get(PlanItem, row.item_id) if row.item_id else None
    ctx = family_context(session, row.plan_id) if row.topic not in ORGANISATION_TOPICS else None
    if not person.email or (row.item_id and item is None) or not _may_read(session, ctx, person, row, item):
        return 0
    with _mail_context(), force_locale(person.language):
        subject = subject_for(row)
        values = {"person": person, "subject": subject, "body": body_for(row),
                  "link": _link("notifications.show", notification_id=row.id),
                  "settings": _link("notifications.edit_settings")}
        text = render_template("notifications/mail/notification.txt", **values)
        html = render_template("notifications/mail/notification.html", **values)
    return _deliver(person, subject, text, html)


def _may_read(session: Session, ctx: PlanContext | None, person: Person, row: Notification,
              item: PlanItem | None) -> bool:
    """Whether the person may still see what it is about: by the age rules, or as provider staff."""
    if row.topic in PROVIDER_TOPICS:
        organisations = provider_notes.provider_organisations(session, person.id)
        return provider_notes.may_read(ctx, organisations, person.id, row, item)
    return may_see(ctx, person.id, item)


def subject_for(row: Notification) -> str:
    """The e-mail's subject: what happened, without any of the family's words."""
    if row.topic in PROVIDER_TOPICS:
        return provider_notes.subject(row)
    if words := hooks.words(row.topic):
        return words.subject(row)
    if row.topic == Topic.AGREEMENT_ASKED:
        return _("Your agreement is asked for the family plan")
    if row.topic == Topic.PLAN_FIXED:
        return _("The family plan is fixed")
    if row.topic == Topic.ACTION_DUE:
        return {"today": _("Something you do in the family plan is due today"),
                "tomorrow": _("Something you do in the family plan is due tomorrow")}.get(
            row.detail, _("Something you do in the family plan is late"))
    if row.detail in DIVIDED.values():
        return _("A family does not agree on the result of a goal")
    if row.detail in HELP.values():
        return {HELP["chosen"]: _("A family chose help: please confirm the choice"),
                HELP["assigned"]: _("The municipality said yes to the help")}.get(
            row.detail, _("The municipality said no to the help"))
    return _("A goal you follow in the family plan has changed")


def body_for(row: Notification) -> str:
    """The e-mail's one sentence about what happened, without names or the family's words."""
    if row.topic in PROVIDER_TOPICS:
        return provider_notes.body(row)
    if words := hooks.words(row.topic):
        return words.body(row)
    if row.topic == Topic.AGREEMENT_ASKED:
        return _("The family plan is ready. Your yes or no is needed.")
    if row.topic == Topic.PLAN_FIXED:
        return _("Everyone who had to agree said yes. The family plan is now fixed.")
    if row.topic == Topic.ACTION_DUE:
        return {"today": _("Something you said you would do is due today."),
                "tomorrow": _("Something you said you would do is due tomorrow.")}.get(
            row.detail, _("Something you said you would do is late."))
    if row.detail in DIVIDED.values():
        return _("The family members gave different verdicts on the result of a goal. Talk with them about it.")
    if row.detail in HELP.values():
        return {HELP["chosen"]: _("Someone in the family chose help for a goal. Confirm the choice in the family "
                                  "plan."),
                HELP["assigned"]: _("The municipality said yes to the help chosen for a goal. Look in the family "
                                    "plan to see from when.")}.get(
            row.detail, _("The municipality said no to the help chosen for a goal. Talk with your youth care "
                          "professional about what else is possible."))
    return _("Someone changed a goal you follow.")


def send_digests(session: Session) -> int:
    """One e-mail per professional with, per family, what happened since the last digest; return how many went."""
    rows = session.exec(select(Notification).where(Notification.mail == MailMode.DIGEST,
                                                   Notification.digested_at.is_(None))
                        .order_by(Notification.person_id, Notification.id)).all()
    by_person: dict[str, list[Notification]] = defaultdict(list)
    for row in rows:
        by_person[row.person_id].append(row)
    sent = 0
    for person_id, notes in by_person.items():
        now = utcnow()
        for row in notes:
            row.digested_at = now
            session.add(row)
        session.flush()
        sent += _send_digest(session, session.get(Person, person_id), notes)
        session.commit()
    return sent


def _send_digest(session: Session, person: Person, notes: list[Notification]) -> int:
    names = _headings(session, notes)
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for note in notes:
        counts[_heading_key(note)][note.topic] += 1
    if not person.email:
        return 0
    with _mail_context(), force_locale(person.language):
        subject = _("Your daily summary from Ons Plan")
        summary = [(names.get(key, ""), [digest_line(Topic(topic), count) for topic, count in sorted(kinds.items())])
                   for key, kinds in sorted(counts.items(), key=lambda pair: (names.get(pair[0], ""), pair[0]))]
        intro = (_("This happened since your last summary:") if any(n.topic in PROVIDER_TOPICS for n in notes)
                 else _("This happened in your families since your last summary:"))
        values = {"person": person, "summary": summary, "subject": subject, "intro": intro,
                  "link": _link("notifications.index"), "settings": _link("notifications.edit_settings")}
        text = render_template("notifications/mail/digest.txt", **values)
        html = render_template("notifications/mail/digest.html", **values)
    return _deliver(person, subject, text, html)


def _heading_key(note: Notification) -> tuple[str, str]:
    """What a digest line is under: the family, or for a complaint or a rating the organisation (never the family)."""
    return ("organisation", note.detail) if note.topic in ORGANISATION_TOPICS else ("family", note.family_id)


def _headings(session: Session, notes: list[Notification]) -> dict[tuple[str, str], str]:
    families = session.exec(select(Family.id, Family.name).where(Family.id.in_({n.family_id for n in notes
                                                                                if _heading_key(n)[0] == "family"})))
    return ({("family", fid): name for fid, name in families}
            | {("organisation", oid): name for oid, name in provider_notes.organisation_names(session, notes).items()})


def digest_line(topic: Topic, count: int) -> str:
    """One line of the digest: how many of one kind."""
    from flask_babel import ngettext

    if topic in PROVIDER_TOPICS:
        return provider_notes.digest_line(topic, count)
    return {
        Topic.AGREEMENT_ASKED: ngettext("%(num)d time your agreement was asked", "%(num)d times your agreement "
                                        "was asked", count),
        Topic.PLAN_FIXED: ngettext("the plan was fixed", "the plan was fixed %(num)d times", count),
        Topic.ACTION_DUE: ngettext("%(num)d reminder about something you do", "%(num)d reminders about things "
                                   "you do", count),
        Topic.GOAL_CHANGED: ngettext("%(num)d change to a goal you follow", "%(num)d changes to goals you follow",
                                     count),
        Topic.RATING_ASKED: ngettext("%(num)d invitation to rate help", "%(num)d invitations to rate help", count),
        Topic.RATING_CHECKED: ngettext("%(num)d rating checked", "%(num)d ratings checked", count),
    }[topic]


def _deliver(person: Person, subject: str, text: str, html: str) -> int:
    message = mail.build_message(to=person.email, subject=subject, text=text, language=person.language)
    message.add_alternative(html, subtype="html")
    del message["Content-Language"]  # add_alternative moved it into the text part; the demo mailbox reads it here
    message["Content-Language"] = person.language
    return 1 if mail.send(message) != "not sent" else 0


def _link(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **values)


def _mail_context():
    """Mails are written as in a request (templates and links need one): the person's own, else one on SITE_URL."""
    if has_request_context():
        return nullcontext()
    return mail.link_context()
