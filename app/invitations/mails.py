"""The invitation e-mail, written in the recipient's language."""

import smtplib

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app.core import mail
from app.identity.models import Family, Invitation, Organisation


def send_invitation(invitation: Invitation, *, code: str, link: str, family: Family | None = None,
                    organisation: Organisation | None = None) -> bool:
    """Mail the invitation in the invitee's language; return True when a mail went out. A mail server that fails is
    not the inviter's problem: the page shows the code and link to pass on themselves (and says no mail went)."""
    if not invitation.email:
        return False
    with force_locale(invitation.language):
        subject = _("Your invitation to Ons Plan")
        text = render_template("invitations/mail/invitation.txt", invitation=invitation, code=code, link=link,
                               family=family, organisation=organisation)
    message = mail.build_message(to=invitation.email, subject=subject, text=text, language=invitation.language)
    try:
        return mail.send(message) != "not sent"
    except (smtplib.SMTPException, OSError) as error:
        current_app.logger.warning("invitation mail not sent", extra={"error": type(error).__name__})
        return False
