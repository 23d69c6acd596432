"""What the item templates need many times per page, worked out once per request: words, URLs, dates, the token.

A big plan shows 130+ items; asking Babel and the URL map for the same words and routes for each one cost most of
the page's time. The words are worked out once per language (they only change with a new release), the URLs and
the form token once per request, and each date once per format.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import SimpleNamespace

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.lists import format_list
from flask import g, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from app.plans.models import DOMAIN_LABELS

_PLACEHOLDER = "__item__"
_WORDS: dict[str, SimpleNamespace] = {}
_ITEM_ENDPOINTS = {"edit": "plans.edit", "history": "plans.history", "done": "plans.toggle_done",
                   "visibility": "plans.visibility", "visibility_form": "plans.visibility_form",
                   "follow": "notifications.follow"}
_GOAL_ENDPOINTS = {"find_help": ("catalog.index", "doel"), "confirm": ("catalog.confirm", "goal_id")}


def _words() -> SimpleNamespace:
    """Every fixed word of the item and agreement templates, in the current language (formats keep %(x)s)."""
    return SimpleNamespace(**{
        "result": _("Result"), "reached_by": _("Reached by"), "who_helps": _("Who helps"), "done": _("Done"),
        "done_lower": _("done"), "by_date": _("by %(date)s"), "help_lines": _("Help lines"),
        "help_intro": _("Is this about violence, abuse or thoughts of suicide? You do not have to carry it alone. "
                        "Calling is free."),
        "immediate_danger": _("immediate danger"), "anonymous": _("anonymous, for young people"),
        "suicide_prevention": _("suicide prevention"), "typed_by": _("typed by %(name)s"),
        "parents_do_not_see": _("Parents do not see this"), "edit": _("Edit"), "history": _("History"),
        "stop_sharing": _("Stop sharing with my parents"), "share": _("Share with my parents"),
        "share_again": _("Share with the parents again"), "do_not_share": _("Do not share with the parents"),
        "agreement": _("Agreement"), "everyone_agrees": _("everyone agrees"),
        "agreed_of": _("%(agreed)s of %(total)s agree"), "agrees": _("agrees"),
        "does_not_agree": _("does not agree"), "not_yet": _("not yet"),
        "does_name_agree": _("Does %(name)s agree?"), "do_you_agree": _("Do you agree?"),
        "yes_agree": _("Yes, I agree"), "no_agree": _("No, I do not agree"),
        "what_not_agree": _("What do you not agree with?"), "save_answer": _("Save my answer"),
        "follow": _("Follow this goal"), "find_help": _("Find help for this goal"),
        "waiting_title": _("The plan is still waiting for agreement on:"),
        "still_to_agree": _("Still has to agree: %(names)s"), "you_subject": _("you (subject)"),
        **{f"domain_{key.value}": str(label) for key, label in DOMAIN_LABELS.items()},
    })


@dataclass
class Kit:
    """The per-request helpers of one plan's item templates."""

    language: str
    w: SimpleNamespace
    u: SimpleNamespace  # URL patterns of the item and goal routes: `k.u.edit % item_id`
    csrf: str

    def date(self, value: date | None, pattern: str = "long") -> str:
        """A date in the reader's language."""
        return "" if value is None else _format_date(value, pattern, self.language)

    def people(self, person_ids: list[str], names: dict[str, str], reader_id: str | None) -> str:
        """Some family members as one list in the reader's language ("jij, Erik en Sanne"): the reader as "jij"."""
        said = [self.w.you_subject if pid == reader_id else names.get(pid, "") for pid in person_ids]
        return format_list(said, locale=Locale.parse(self.language)) if said else ""

    def domain(self, code: str | None) -> str:
        """The life domain's name."""
        return getattr(self.w, f"domain_{code}", "")


@lru_cache(maxsize=8192)
def _format_date(value: date, pattern: str, language: str) -> str:
    """A date as words (a date on its own says nothing about anyone, so it may be kept for the next page)."""
    return babel_format_date(value, pattern, locale=Locale.parse(language))


def plan_kit(plan_id: str) -> Kit:
    """The kit for a plan in the current request (made on first use, then reused for every item)."""
    kits = g.setdefault("plan_kits", {})
    language = str(get_locale())
    if (plan_id, language) not in kits:
        if language not in _WORDS:
            _WORDS[language] = _words()
        urls = {name: url_for(endpoint, plan_id=plan_id, item_id=_PLACEHOLDER) for name, endpoint in
                _ITEM_ENDPOINTS.items()}
        urls |= {name: url_for(endpoint, **{arg: _PLACEHOLDER}) for name, (endpoint, arg) in _GOAL_ENDPOINTS.items()}
        urls = {name: url.replace("%", "%%").replace(_PLACEHOLDER, "%s") for name, url in urls.items()}
        kits[plan_id, language] = Kit(language, _WORDS[language], SimpleNamespace(**urls),
                                      generate_csrf())
    return kits[plan_id, language]
