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


def _pattern(words: list[str]) -> re.Pattern:
    parts = []
    for word in words:
        stem = re.escape(word.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(rf"\b{stem}\w*" if word.endswith("*") else rf"\b{stem}\b")
    return re.compile("|".join(parts), re.IGNORECASE)


PATTERN = _pattern([word for words in WORDS.values() for word in words])


def mentions_danger(text: str | None) -> bool:
    """True when the text mentions violence, abuse, self-harm or suicide in Dutch, Frysk or English."""
    return bool(text) and PATTERN.search(text) is not None
