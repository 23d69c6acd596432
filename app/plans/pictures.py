"""The pictures a child chooses for what she adds in the child view (Drie Huizen), and the faces of a check-in.

Each picture is a Twemoji graphic (CC-BY 4.0, app/static/pictures/NOTICE.md) served from our own static files, with
a name in the reader's language for its alt text and for the item's text when the child adds no words.
"""

from flask_babel import lazy_gettext as _l

from app.web.pwa import asset_url

PICTURES = {  # key: (file in app/static/pictures without .svg, name)
    "sun": ("2600", _l("the sun")),
    "heart": ("2764", _l("a heart")),
    "football": ("26bd", _l("playing football")),
    "drawing": ("1f3a8", _l("drawing and painting")),
    "dog": ("1f436", _l("a dog")),
    "friends": ("1f46b", _l("friends")),
    "school": ("1f3eb", _l("school")),
    "books": ("1f4da", _l("books and reading")),
    "music": ("1f3b5", _l("music")),
    "rain": ("1f327", _l("a rain cloud")),
    "sad": ("1f622", _l("sad")),
    "angry": ("1f620", _l("angry")),
    "scared": ("1f628", _l("scared")),
    "night": ("1f319", _l("the night and sleeping")),
    "family": ("1f46a", _l("the family")),
    "hurt": ("1f915", _l("hurt")),
    "star": ("2b50", _l("a star")),
    "balloon": ("1f388", _l("a party")),
    "rainbow": ("1f308", _l("a rainbow")),
    "bike": ("1f6b2", _l("cycling")),
    "home": ("1f3e0", _l("home")),
    "hug": ("1f917", _l("a hug")),
    "cat": ("1f431", _l("a cat")),
    "beach": ("1f3d6", _l("a day out")),
}
HOUSE_PICTURES = {  # the house (strength, worry, own words) -> the pictures offered there, in order
    "strength": ("sun", "heart", "football", "drawing", "dog", "friends", "school", "books", "music"),
    "worry": ("rain", "sad", "angry", "scared", "night", "school", "family", "hurt"),
    "own_words": ("star", "balloon", "rainbow", "bike", "home", "hug", "cat", "beach"),
}


def picture_url(key: str | None) -> str:
    """The picture's address (cached for a year: its content hash is in it), or "" for an unknown key."""
    return asset_url(f"pictures/{PICTURES[key][0]}.svg") if key in PICTURES else ""


def face_url(file: str) -> str:
    """The address of a face (app.children.vocab.FACES) or another picture file by its Twemoji name."""
    return asset_url(f"pictures/{file}.svg")


def picture_name(key: str | None) -> str:
    """The picture's name in the reader's language ("" for an unknown key)."""
    return str(PICTURES[key][1]) if key in PICTURES else ""
