"""E-mails to the complainant in their language: the number and deadline at once, then "there is news".

No e-mail holds the complaint's text or a message: it says what happened and links to Ons Plan.
"""

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session, select

from app.complaints.models import Complaint, ComplaintPart
from app.core import mail
from app.core.after_commit import run_after_commit
from app.extensions import db
from app.identity.models import Person


def send_after_commit(session: Session, complaint_id: str, kind: str) -> None:
    """Send the e-mail once the transaction commits: nothing is confirmed that was not stored."""
    app = current_app._get_current_object()
    base_url = mail.site_url()  # now, while the request (if any) says which address the person used

    def _send(queued: list[tuple[str, str]]) -> None:
        for cid, what in dict(reversed(queued)).items():  # one e-mail per complaint: the first kind queued
            with app.app_context(), mail.link_context(base_url), db.new_session() as fresh:
                try:
                    send(fresh, complaint_id=cid, kind=what)
                except OSError:  # the mail server is away: the complaint is stored and shown on screen
                    app.logger.warning("complaint mail not sent")

    run_after_commit(session, "complaint_mails", (complaint_id, kind), _send)


def send(session: Session, *, complaint_id: str, kind: str) -> bool:
    """Write and send one e-mail to the complainant; False when they have no address."""
    complaint = session.get(Complaint, complaint_id)
    person = session.get(Person, complaint.complainant_id)
    if not person.email:
        return False
    parts = session.exec(select(ComplaintPart).where(ComplaintPart.complaint_id == complaint.id)).all()
    with force_locale(person.language):
        subject = (_("We received your complaint %(number)s", number=complaint.number) if kind == "received"
                   else _("News about your complaint %(number)s", number=complaint.number))
        text = render_template("complaints/mail.txt", person=person, complaint=complaint, parts=parts, kind=kind,
                               link=url_for("complaints.show", complaint_id=complaint.id, _external=True))
    message = mail.build_message(to=person.email, subject=subject, text=text, language=person.language)
    return mail.send(message) != "not sent"
