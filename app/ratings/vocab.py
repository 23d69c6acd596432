"""The words of ratings: aspects, smileys, the code of conduct's reasons to reject, and the limits."""

from flask_babel import lazy_gettext as _l

MAX_WORDS = 200  # ZorgkaartNederland's limit (DOMAIN.md §8.3)
MAX_CHARS = 3000  # 200 words fit easily; a longer text is someone pasting, not writing
MAX_REPLY_WORDS = 200
MIN_TRAJECTORIES = 5  # figures show from 5 trajectories; fewer could point at one family
ONGOING_MONTHS = 3  # families in care for 3 months are invited too
CHILD_UNTIL = 12  # under 12: the smiley version
RECENT_TEXTS = 5
COMPLAINT_ROUTE = "complaints.index"  # where a serious complaint goes: the complaint route (issue 7)

ASPECTS = {
    "heard": _l("I felt heard"),
    "decided": _l("I could decide along"),
    "reachable": _l("Easy to reach"),
    "result": _l("The result"),
}
SMILEYS = {
    "happy": ("😀", _l("Good")),
    "so_so": ("😐", _l("So-so")),
    "sad": ("🙁", _l("Not good")),
}
INFORMANTS = {"youth": _l("A young person"), "parent": _l("A parent")}

# The code of conduct (docs/ratings.md has it in full): each rule is also a reason the redactie can give.
REJECT_REASONS = {
    "own_experience": _l("Write only about your own experience with this help."),
    "personal_data": _l("Leave out names, phone numbers, e-mail addresses and other personal details."),
    "accusation": _l("Do not accuse anyone of a crime. Describe what happened, not what you suspect."),
    "threat": _l("No threats, swearing or discrimination."),
    "complaint": _l("This sounds like a serious complaint. A rating cannot solve it: please use the complaint route."),
}
STATUSES = {
    "pending": _l("Waiting for a check"),
    "published": _l("Published"),
    "rejected": _l("Not published"),
    "reported": _l("Reported: hidden for a new check"),
}
