"""Words that suggest violence, abuse, self-harm or suicide, per language: a small list people can review.

When free text in the plan mentions one, the help lines are shown right there. Nothing is reported to
anyone: the words only decide whether the help lines appear next to the text.
"""

import re

# Whole words or word beginnings (a trailing * means "and any ending"). Keep the lists short and readable.
WORDS = {
    "nl": ["geweld", "gewelddadig*", "geweldpleg*", "mishandel*", "geslagen", "slaat", "sloeg", "schopt",
           "schopte", "misbruik*", "aanrand*", "verkracht*", "zelfmoord*", "suïcid*", "suicid*", "dood wil*",
           "niet meer leven", "zelfbeschadig*", "mezelf pijn", "mezelf snijd*", "bedreig*", "onveilig*",
           "huiselijk geweld"],
    "fy": ["geweld", "gewelddiedich*", "mishannel*", "slein", "sloech", "misbrûk*", "selsmoard*", "dea wol*",
           "net mear libje", "mysels sear", "mysels snij*", "bedrige*", "bedrige", "ûnfeilich*"],
    "en": ["violen*", "abus*", "beaten", "beats me", "hits me", "hit me", "suicid*", "kill myself", "self-harm*",
           "hurt myself", "cutting myself", "threaten*", "unsafe", "rape*", "molest*"],
}


_WORD = re.compile(r"\w+")
_SINGLE = [word for words in WORDS.values() for word in words if _WORD.fullmatch(word.rstrip("*"))]
_EXACT = frozenset(word for word in _SINGLE if not word.endswith("*"))
_PREFIXES = tuple(word.rstrip("*") for word in _SINGLE if word.endswith("*"))
_PHRASES = [word for words in WORDS.values() for word in words if word not in _SINGLE]  # "dood wil*", "self-harm*"
_PHRASE_STARTS = frozenset(_WORD.match(word).group() for word in _PHRASES)


def _pattern(words: list[str]) -> re.Pattern:
    parts = []
    for word in words:
        stem = re.escape(word.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(rf"{stem}\w*" if word.endswith("*") else rf"{stem}\b")
    return re.compile(r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE)


PATTERN = _pattern([word for words in WORDS.values() for word in words])  # the whole list as one expression
_PHRASE_PATTERN = _pattern(_PHRASES)


def mentions_danger(text: str | None) -> bool:
    """True when the text mentions violence, abuse, self-harm or suicide in Dutch, Frysk or English.

    Matches the same as PATTERN, faster: single words are looked up per word, and the few phrases are only
    searched for when a word they start with occurs (a big plan checks 150 texts per page).
    """
    if not text:
        return False
    words = _WORD.findall(text.lower())
    if any(word in _EXACT or word.startswith(_PREFIXES) for word in words):
        return True
    return not _PHRASE_STARTS.isdisjoint(words) and _PHRASE_PATTERN.search(text) is not None
