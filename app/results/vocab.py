"""The codes of result judgement and care endings, with their words (source strings in English).

JZ588 (iJw 3.2, reden beëindiging) and the CBS outcome items (Beleidsinformatie Jeugd §4) are in DOMAIN.md §1.4
and §2; which endings count as uitval is decided in app/catalog/vocab.py (`DROPOUT_REASONS`, docs/decisions.md).
"""

from flask_babel import lazy_gettext as _l

VERDICTS = {
    "achieved": _l("Achieved"),
    "partly": _l("Partly achieved"),
    "not_achieved": _l("Not achieved"),
}
CHILD_VERDICTS = {  # the smiley version for a child under 12: their voice, not their vote
    "achieved": ("😀", _l("It went well")),
    "partly": ("😐", _l("It went a bit well")),
    "not_achieved": ("🙁", _l("It did not go well")),
}
CAPACITIES = {
    "youth": _l("Young person"),
    "parent": _l("Parent"),
    "professional": _l("Youth care professional"),
    "provider": _l("Provider"),
}
MOMENTS = {"evaluation": _l("At an evaluation"), "end": _l("At the end of the help")}
INFORMANTS = {"youth": _l("the young person"), "parent": _l("a parent")}  # "You answer as ..."

# JZ588 reden beëindiging (JW307), in plain words.
STOP_REASONS = {
    "31": _l("The help ended as planned."),
    "34": _l("Ended early: the family and the provider agreed."),
    "32": _l("Ended early: the family stopped."),
    "33": _l("Ended early: the provider stopped."),
    "35": _l("Ended early because of something outside the help, such as a move."),
    "36": _l("Ended by the municipality."),
    "37": _l("Ended because of a change request."),
    "38": _l("The family moved to another provider."),
    "39": _l("The help continues under another law (Wmo, Wlz or Zvw)."),
    "20": _l("The help is paused for a while."),
    "02": _l("The young person died."),
}
# CBS 3.1: can you go on without help (4 options, codes 01-04 as delivered to CBS).
INDEPENDENCE = {
    "01": _l("No: the same help or more is still needed"),
    "02": _l("Partly: lighter help is enough"),
    "03": _l("Yes for now, but we may need help again later"),
    "04": _l("Yes: no more help is needed"),
}


RESULT_STATES = {  # where judging at the end stands, as the plan page shows it (Assignment.result_state)
    "open": _l("Being judged"),
    "divided": _l("Divided"),
    **VERDICTS,
}


def _label(mapping: dict, code: str | None) -> str:
    return str(mapping.get(code, code or ""))


def verdict_label(code: str, child_voice: bool = False) -> str:
    """The verdict in words; a child's smiley verdict with its face."""
    if child_voice and code in CHILD_VERDICTS:
        face, words = CHILD_VERDICTS[code]
        return f"{face} {words}"
    return _label(VERDICTS, code)


TEMPLATE_GLOBALS = {
    "verdict_label": verdict_label,
    "capacity_label": lambda code: _label(CAPACITIES, code),
    "moment_label": lambda code: _label(MOMENTS, code),
    "informant_label": lambda code: _label(INFORMANTS, code),
    "stop_reason_label": lambda code: _label(STOP_REASONS, code),
    "independence_label": lambda code: _label(INDEPENDENCE, code),
    "result_state_label": lambda code: _label(RESULT_STATES, code),
}
