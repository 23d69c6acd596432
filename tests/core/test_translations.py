"""Every user-facing string exists in nl, fy and en: nothing untranslated, fuzzy or copied."""

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2] / "translations"
LANGUAGES = ("nl", "fy", "en")


def catalog(lang):
    with open(ROOT / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


def template_ids():
    with open(ROOT / "messages.pot", "rb") as f:
        return {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(f) if m.id}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_has_every_string_translated_and_nothing_fuzzy(lang):
    messages = [m for m in catalog(lang) if m.id]
    untranslated = [m.id for m in messages if not (all(m.string) if isinstance(m.id, tuple) else m.string)]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    assert {m.id if isinstance(m.id, str) else tuple(m.id) for m in messages} >= template_ids()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalog_matches_the_po_file(lang):
    with open(ROOT / lang / "LC_MESSAGES" / "messages.mo", "rb") as f:
        compiled = read_mo(f)
    def key(message):
        return message.id if isinstance(message.id, str) else tuple(message.id)

    assert {key(m) for m in compiled if m.id} == {key(m) for m in catalog(lang) if m.id}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_survive_translation(lang):
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]")
    for message in catalog(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert set(pattern.findall(ids[0])) == set(pattern.findall(strings[0])), message.id


def test_frisian_is_not_dutch_copied():
    nl = {m.id: m.string for m in catalog("nl") if m.id and isinstance(m.id, str)}
    fy = {m.id: m.string for m in catalog("fy") if m.id and isinstance(m.id, str)}
    same = [key for key in nl if nl[key] == fy[key] and len(nl[key].split()) >= 3]
    assert same == [], f"Frisian identical to Dutch: {same}"
    text = " ".join(fy.values())
    for word in ("dyn", "net", "fergees", "Ús Plan"):
        assert word in text


def test_frisian_has_none_of_the_typos_a_reader_found():
    """Issue 17: Ôf- keeps its circumflex at the start, no doubled words, "jongerein" is young people as a group."""
    import re

    fy = [m.string if isinstance(m.string, str) else " ".join(m.string) for m in catalog("fy") if m.id]
    text = "\n".join(fy)
    assert re.findall(r"\bOf(?:drukt|stân|melde|spraak|praat)", text) == []
    assert "Alaarm" not in text
    assert [s for s in fy if re.search(r"\b(\w+) \1\b", s, re.IGNORECASE)] == []
    assert re.findall(r"\b(?:de|in|dizze|dyn) jongerein\b", text, re.IGNORECASE) == []
    assert "Ôfdrukt op %(date)s" in fy
