"""Why an offer matched a search: which of the person's words it holds, where, and how the word was read."""

from dataclasses import dataclass

from app.catalog.fulltext import stem, words
from app.catalog.understand import Alternative, Understood, fold


@dataclass(frozen=True)
class Reason:
    """One word of the search and how this offer matched it.

    how: "word" (the person's own word), "synonym", "typo", "compound" (a part of the person's compound) or
    "within" (the person's word inside a compound of the offer); where: "name" or "text"."""

    typed: str
    word: str  # the offer's word that matched, as the offer writes it
    how: str
    where: str


class _Words:
    def __init__(self, text: str) -> None:
        self.written = {fold(w): w for w in reversed(words(text))}  # folded -> the first way it is written
        self.stems = {stem(w): w for w in self.written}

    def find(self, alternative: Alternative) -> str | None:
        """The words of the text that match this alternative (all its words), or None."""
        found = []
        for i, word in enumerate(alternative.words):
            match = word if word in self.written else self.stems.get(stem(word))
            if match is None and alternative.prefix and i == len(alternative.words) - 1:
                match = next((w for w in self.written if w.startswith(word)), None)
            if match is None:
                return None
            found.append(self.written[match])
        return " ".join(found)


def reasons_for(offers: list, understood: Understood) -> dict[int, list[Reason]]:
    """For each offer (with its name and search text loaded), why it matched each group of the search."""
    explained = {}
    for offer in offers:
        name, text = _Words(offer.name), _Words(offer.search_text or "")
        reasons = []
        for group in understood.groups:
            reason = _reason(group, name, "name") or _reason(group, text, "text")
            if reason is not None:
                reasons.append(reason)
        explained[offer.id] = reasons
    return explained


def _reason(group, where_words: _Words, where: str) -> Reason | None:
    for alternative in group.alternatives:
        found = where_words.find(alternative)
        if found is not None:
            if group.how == "compound":  # name the part of the compound, not the longer word it started
                return Reason(group.typed, " + ".join(alternative.words), "compound", where)
            if alternative.within and not group.concept:
                return Reason(group.typed, found, "within", where)
            if alternative.words == tuple(fold(w) for w in words(group.typed)):
                return Reason(group.typed, found, "word", where)
            return Reason(group.typed, found, "synonym" if group.how == "word" else group.how, where)
    return None
