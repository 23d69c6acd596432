"""The catalog's code lists (JZ020, forms, themes, funding, complaint regimes) with words to show for them."""

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

# iJw 3.2 JZ020 Productcategorie (DOMAIN.md §1.4), in plain words for families.
CATEGORIES = {
    "31": _l("Help from the local team (2015)"),
    "32": _l("Help at the provider's office (2015)"),
    "33": _l("Day care at the provider (2015)"),
    "34": _l("Help in the young person's own surroundings (2015)"),
    "35": _l("Foster care (2015)"),
    "36": _l("Living in a family home (2015)"),
    "37": _l("Closed placement (2015)"),
    "38": _l("Other residential care (2015)"),
    "40": _l("Personal care"),
    "41": _l("Day treatment"),
    "42": _l("Transport"),
    "43": _l("Living away from home, with treatment"),
    "44": _l("Living away from home, without treatment"),
    "45": _l("Ambulant help (at home or nearby)"),
    "46": _l("Crisis help"),
    "47": _l("Youth probation"),
    "48": _l("Child protection"),
    "49": _l("Activities in a preventive justice setting"),
    "50": _l("Tailor-made help"),
    "51": _l("Basic mental health care"),
    "52": _l("Specialist mental health care"),
    "53": _l("Paediatrics"),
    "54": _l("Youth mental health care"),
    "55": _l("Nationally purchased care"),
}
# The categories a family chooses between in the search filter (the older 2015 codes stay importable).
SEARCH_CATEGORIES = ("45", "41", "54", "43", "44", "46", "40", "50", "42", "53", "55")

FORMS = {
    "home": _l("At home"),
    "provider": _l("At the provider"),
    "day": _l("Day care"),
    "stay": _l("With a place to stay"),
    "online": _l("Online"),
}

THEMES = {
    "opvoeden": _l("Parenting"),
    "angst": _l("Anxiety"),
    "somberheid": _l("Feeling low"),
    "autisme": _l("Autism"),
    "adhd": _l("ADHD"),
    "gedrag": _l("Behaviour"),
    "scheiding": _l("Divorce"),
    "school": _l("School"),
    "lvb": _l("Mild intellectual disability"),
    "trauma": _l("Trauma"),
    "verslaving": _l("Addiction"),
    "hechting": _l("Attachment"),
}
# Dutch words stored with each theme in the search text, so "angst" finds an offer tagged with the theme.
THEME_WORDS = {
    "opvoeden": "opvoeden opvoeding", "angst": "angst", "somberheid": "somberheid depressie",
    "autisme": "autisme", "adhd": "adhd", "gedrag": "gedrag", "scheiding": "scheiding",
    "school": "school", "lvb": "lvb licht verstandelijke beperking", "trauma": "trauma",
    "verslaving": "verslaving", "hechting": "hechting",
}

FUNDING = {"result": _l("Paid on result"), "effort": _l("Paid per hour or day"), "task": _l("Paid per task")}

INTENSITIES = {
    "light": _l("Light: about an hour a week"),
    "medium": _l("Medium: a few hours a week"),
    "intensive": _l("Intensive: several times a week"),
    "very_intensive": _l("Very intensive: (almost) every day"),
}

REGIMES = {"jeugdwet": _l("Complaints procedure of the Youth Act"),
           "wkkgz": _l("Complaints procedure for health care (the law Wkkgz)")}
REGIME_EXPLAINED = {
    "jeugdwet": _l("First talk to your care provider. If that does not help, the provider's complaints committee "
                   "looks at your complaint. At least three people sit on it, and the chair does not work for the "
                   "provider. You get a written answer with reasons."),
    "wkkgz": _l("First talk to your care provider. The provider has someone who helps with complaints (a complaints "
                "officer). You get an answer within 6 weeks. Sometimes it takes 4 weeks longer: the provider then "
                "tells you. Not happy with the answer? Then you can go to a disputes committee. It does not work for "
                "the provider. The provider must do what it decides."),
}

SORTS = {
    "relevance": _l("Best match"),
    "waiting": _l("Shortest waiting time"),
    "distance": _l("Closest by"),
    "rating": _l("Best rated"),
}
# The state of the help chosen for a goal, and iJw 3.2 WJ759 (why the municipality refused a request) in plain words.
ASSIGNMENT_STATUSES = {
    "chosen": _l("Chosen"),
    "requested": _l("Requested"),
    "examining": _l("Being looked at"),
    "assigned": _l("Assigned"),
    "refused": _l("Refused"),
    "withdrawn": _l("Withdrawn"),
}
REFUSAL_REASONS = {
    "1": _l("The municipality asks for a new request instead of a change."),
    "2": _l("The help costs more than the budget allows."),
    "3": _l("The municipality has no contract with this provider."),
    "4": _l("The help does not fit the contract with this provider."),
    "5": _l("Another municipality is responsible for this help."),
    "6": _l("The young person already gets help like this."),
    "7": _l("The municipality thinks this help does not fit what is needed."),
    "8": _l("Another municipality is responsible, because of where the young person lives."),
    "9": _l("The young person is too old for this help."),
}
# The languages a provider's staff can speak: every ISO 639 code (two or three letters) CLDR has a name for.
LANGUAGES = sorted(code for code in Locale.parse("en").languages
                   if code.isalpha() and code.islower() and len(code) <= 3)
DISTANCES = (5, 10, 25, 50, 100)
STALE_AFTER_WEEKS = 8


def label(mapping: dict, code: str | None) -> str:
    """Return the shown words for a stored code (the code itself when it is unknown)."""
    return str(mapping.get(code, code or ""))


def language_name(code: str, locale: str | None = None) -> str:
    """Return a language's name in the reader's language (Babel's CLDR data: "Frysk", "Fries", "Western Frisian")."""
    reader = Locale.parse(locale or str(get_locale()))
    name = reader.languages.get(code) or code
    return name[:1].upper() + name[1:]


TEMPLATE_GLOBALS = {"category_label": lambda code: label(CATEGORIES, code),
                    "theme_codes": tuple(THEMES),
                    "form_label": lambda code: label(FORMS, code),
                    "theme_label": lambda code: label(THEMES, code),
                    "funding_label": lambda code: label(FUNDING, code),
                    "intensity_label": lambda code: label(INTENSITIES, code),
                    "regime_label": lambda code: label(REGIMES, code),
                    "regime_explained": lambda code: label(REGIME_EXPLAINED, code),
                    "language_name": language_name,
                    "assignment_status_label": lambda code: label(ASSIGNMENT_STATUSES, code),
                    "refusal_label": lambda code: label(REFUSAL_REASONS, code)}


# Uitval (CBS outcome item 1): the help ended early and one-sidedly, by the client (JZ588 32) or by the provider
# (33). Ended early by agreement (34) or by outside events (35, 02) is not drop-out: nobody left the help.
DROPOUT_REASONS = frozenset({"32", "33"})


def is_dropout(stop_reason: str) -> bool:
    """Whether a JZ588 stop reason counts as uitval."""
    return stop_reason in DROPOUT_REASONS
