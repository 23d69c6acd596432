"""E-mail: SMTP from the environment; in demo mode written to a folder (the same message, another transport)."""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, has_request_context, request

DEVELOPMENT_SITE_URL = "http://127.0.0.1:5000"  # jobs without SITE_URL (development; production requires it)


def build_message(*, to: str, subject: str, text: str, language: str) -> EmailMessage:
    """Make a plain-text e-mail in the recipient's language."""
    message = EmailMessage()
    message["From"] = current_app.config.get("MAIL_FROM") or "Ons Plan <noreply@onsplan.invalid>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="onsplan.invalid")
    message.set_content(text)
    message["Content-Language"] = language  # after set_content, which replaces Content-* headers
    return message


def site_url() -> str:
    """The address links in e-mails start with: the one the person used inside a request, else SITE_URL."""
    if has_request_context():
        return request.url_root
    return current_app.config.get("SITE_URL") or DEVELOPMENT_SITE_URL


def link_context(base_url: str | None = None):
    """A request context whose external links start with `base_url` (default: `site_url()`), for writing mails."""
    return current_app.test_request_context(base_url=base_url or site_url())


def send(message: EmailMessage) -> str:
    """Deliver by SMTP when MAIL_SERVER is set, else (demo, tests) write the .eml file; return where it went."""
    config = current_app.config
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 587), timeout=10) as smtp:
            if config.get("MAIL_USE_TLS", True):  # the server's certificate is checked, as any client should
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
        return "smtp"
    if config.get("MAIL_DIR"):
        folder = Path(config["MAIL_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_") + ".eml"
        (folder / name).write_bytes(bytes(message))
        return str(folder / name)
    return "not sent"


def read_folder(folder: str | None) -> list[tuple[str, EmailMessage]]:
    """Return the mails written to the demo folder, newest first."""
    from email import policy
    from email.parser import BytesParser

    if not folder or not Path(folder).is_dir():
        return []
    files = sorted(Path(folder).glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [(path.name, BytesParser(policy=policy.default).parsebytes(path.read_bytes())) for path in files]
