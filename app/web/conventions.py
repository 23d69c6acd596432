"""The small files every site is expected to have: robots.txt and security.txt (RFC 9116)."""

from datetime import timedelta

from flask import current_app, request

from app.core.clock import utcnow

# What a search engine may read: the pages anyone can open without signing in. Everything else is a family's or a
# professional's and sits behind sign-in. Longest match wins (RFC 9309), and where the file is read top-down the
# exceptions come first, so both readings agree.
ROBOTS_TXT = """\
# Ons Plan: only the public pages; everything behind sign-in belongs to a family or a professional.
User-agent: *
Disallow: /catalogus/doel/
Allow: /$
Allow: /?
Allow: /hulp
Allow: /catalogus
Allow: /klachten$
Allow: /klachten?
Allow: /beoordelingen/uitleg
Allow: /static/
Allow: /favicon.ico
Allow: /apple-touch-icon
Disallow: /
"""
SECURITY_TXT_DAYS = 180  # RFC 9116 asks for an Expires less than a year ahead
LANGUAGES = "nl, fy, en"


def contacts(setting: str | None) -> list[str]:
    """The Contact lines from SECURITY_CONTACT: mailto: or https: URIs, a bare e-mail address gets mailto:."""
    found = []
    for value in (setting or "").split(","):
        value = value.strip()
        if value and "@" in value and ":" not in value:
            value = f"mailto:{value}"
        if value:
            found.append(value)
    return found


def security_txt() -> str | None:
    """The text of /.well-known/security.txt, or None when no contact is configured."""
    lines = [f"Contact: {contact}" for contact in contacts(current_app.config.get("SECURITY_CONTACT"))]
    if not lines:
        return None
    expires = (utcnow() + timedelta(days=SECURITY_TXT_DAYS)).replace(hour=0, minute=0, second=0, microsecond=0)
    base = (current_app.config.get("SITE_URL") or request.url_root).rstrip("/")
    lines += [f"Expires: {expires:%Y-%m-%dT%H:%M:%SZ}", f"Preferred-Languages: {LANGUAGES}",
              f"Canonical: {base}/.well-known/security.txt"]
    return "\n".join(lines) + "\n"
