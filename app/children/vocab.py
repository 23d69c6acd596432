"""The child view's words that are fixed: its three houses and the five faces of "Hoe gaat het?"."""

from flask_babel import lazy_gettext as _l

HOUSES = ("strength", "worry", "own_words")  # the Drie Huizen: what goes well, worries, wishes (plan item kinds)
HOUSE_TITLES = {
    "strength": _l("What goes well"),
    "worry": _l("What I worry about"),
    "own_words": _l("What I wish for"),
}
HOUSE_PICTURE = {"strength": "sun", "worry": "rain", "own_words": "star"}  # the picture on each house
FACES = {  # 1 very sad ... 5 very happy: (file in app/static/pictures without .svg, name)
    1: ("1f622", _l("very sad")),
    2: ("1f641", _l("a bit sad")),
    3: ("1f610", _l("so-so")),
    4: ("1f642", _l("good")),
    5: ("1f604", _l("very good")),
}
CHECK_INS_SHOWN = 10  # the last check-ins a child's chart shows in the plan
WORDS_MAX = 200  # a child's few words
