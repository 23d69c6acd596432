"""The receipt of a request to destroy, by e-mail in each asker's language: what was decided and when, never what
the destroyed part said. Written before the destruction (the asker's own account may be destroyed with the dossier),
sent once the transaction commits."""

from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session

from app.core import mail
from app.core.after_commit import run_after_commit
from app.dossier.models import DestructionRequest
from app.dossier.vocab import part_words
from app.identity.models import Person


@dataclass(frozen=True)
class Receipt:
    """One e-mail, ready to send."""

    to: str
    language: str
    subject: str
    text: str


def receipts(session: Session, request: DestructionRequest) -> list[Receipt]:
    """The receipts for everyone who asked and has an e-mail address, in their language."""
    made = []
    for person_id in request.asked_ids:
        person = session.get(Person, person_id)
        if person is None or not person.email:
            continue
        with force_locale(person.language):
            subject = _("Your request to destroy data in Ons Plan")
            text = render_template("dossier/receipt.txt", person=person, request=request, what=part_words(request))
        made.append(Receipt(person.email, person.language, subject, text))
    return made


def send_after_commit(session: Session, made: list[Receipt]) -> None:
    """Send the receipts once the decision is stored (nothing is confirmed that did not happen)."""
    app = current_app._get_current_object()

    def _send(batches: list[list[Receipt]]) -> None:
        with app.app_context():
            for batch in batches:
                for receipt in batch:
                    message = mail.build_message(to=receipt.to, subject=receipt.subject, text=receipt.text,
                                                 language=receipt.language)
                    try:
                        mail.send(message)
                    except OSError:  # the mail server is away: the receipt is on Mijn gegevens as well
                        app.logger.warning("destruction receipt not sent")

    if made:
        run_after_commit(session, "destruction-receipts", made, _send)


def receipt_after_commit(session: Session, request: DestructionRequest) -> None:
    """Write the receipts now and send them after the commit."""
    send_after_commit(session, receipts(session, request))
