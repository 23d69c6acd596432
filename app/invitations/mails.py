"""The invitation e-mail, written in the recipient's language."""

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app.core import mail
from app.identity.models import Family, Invitation, Organisation


def send_invitation(invitation: Invitation, *, code: str, link: str, family: Family | None = None,
                    organisation: Organisation | None = None) -> bool:
    """Mail the invitation in the invitee's language; return True when a mail went out."""
    if not invitation.email:
        return False
    with force_locale(invitation.language):
        subject = _("Your invitation to Ons Plan")
        text = render_template("invitations/mail/invitation.txt", invitation=invitation, code=code, link=link,
                               family=family, organisation=organisation)
    message = mail.build_message(to=invitation.email, subject=subject, text=text, language=invitation.language)
    return mail.send(message) != "not sent"
