"""Languages: which one a request is in, and the switcher that stores a choice."""

from urllib.parse import parse_qs, urlsplit

from flask import current_app, g, request, session

from app.extensions import htmx

AUTONYMS = {"nl": "Nederlands", "fy": "Frysk", "en": "English"}


def valid_language(code: str | None) -> str | None:
    """Return the code if it is one of ours (nl, fy, en; region subtags ignored), else None."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return base if base in current_app.config["LANGUAGES"] else None


def select_locale() -> str:
    """Pick the language: ?lang=, the ?lang= of the page an htmx request comes from (HX-Current-URL), the person's
    stored choice, the session, Accept-Language."""
    chosen = valid_language(request.args.get("lang"))
    if chosen:
        return chosen
    if htmx and htmx.current_url:  # a fragment speaks the language of the page it lands in
        page = valid_language(parse_qs(urlsplit(htmx.current_url).query).get("lang", [None])[0])
        if page:
            return page
    person = getattr(g, "person", None)
    if person is not None and valid_language(person.language):
        return person.language
    stored = valid_language(session.get("lang"))
    if stored:
        return stored
    offered = current_app.config["LANGUAGES"]
    for value, _quality in request.accept_languages:
        match = valid_language(value)
        if match:
            return match
    return offered[0]
