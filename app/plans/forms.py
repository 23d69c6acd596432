"""Forms of the plan: one item form whose fields depend on the kind, agreement, visibility and speaker."""

import re

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from app.core.clock import today
from app.plans.models import DOMAIN_LABELS
from app.web.forms import BaseForm, DateInput, at_most

TEXT_LABELS = {
    "strength": _l("What goes well?"),
    "worry": _l("What are you worried about? Use your own words."),
    "goal": _l("The goal: what do you want to reach?"),
    "action": _l("What needs to be done?"),
    "safety": _l("The safety agreement"),
    "evaluation": _l("What will you look at together?"),
    "own_words": _l("In my own words"),
    "note": _l("How is the help going?"),
    "reaction": _l("Your reaction, in your own words"),
    "statement": _l("Your statement: what do you want to add to this, or what do you not agree with, and why?"),
}
DATE_LABELS = {"goal": _l("Reached by (date)"), "action": _l("Done by (date)"), "evaluation": _l("Date"),
               "note": _l("Date of the note")}


class VersionField(HiddenField):
    """The version the person started editing from, as a number. One that cannot be read (a tampered or broken
    form) counts as 0, which no saved item has: the person sees what is saved now and keeps their own text."""

    def process_formdata(self, valuelist):
        raw = valuelist[0].strip() if valuelist else ""
        self.data = int(raw) if re.fullmatch(r"[0-9]{1,9}", raw) else 0


class ItemForm(BaseForm):
    """Add or change one item; the view removes the fields a kind does not use."""

    version = VersionField()
    text = TextAreaField(_l("Text"), validators=[at_most(10_000)])
    result = TextAreaField(_l("The result we agree on, in plain words"), validators=[at_most(10_000)])
    domain = SelectField(_l("Part of life"), choices=[SelectChoice("", "—")] + [
        SelectChoice(code.value, label) for code, label in DOMAIN_LABELS.items()], validate_choice=False)
    youth_id = SelectField(_l("About"), choices=[], validate_choice=False)
    owner_id = SelectField(_l("Who does it?"), choices=[], validate_choice=False)
    goal_id = SelectField(_l("For which goal?"), choices=[], validate_choice=False)
    due_date = DateInput(_l("Date"), validators=[Optional()])
    helpers = StringField(_l("Who helps?"), validators=[at_most(500)])
    child_text = StringField(_l("The goal in words for a child (optional)"), validators=[at_most(500)])
    reply_to_id = HiddenField()  # a reaction's note

    KIND_FIELDS = {
        "strength": ("text", "youth_id"),
        "worry": ("text", "youth_id"),
        "goal": ("domain", "youth_id", "text", "result", "due_date", "helpers", "child_text"),
        "action": ("text", "owner_id", "goal_id", "due_date"),
        "safety": ("text", "youth_id"),
        "evaluation": ("text", "due_date"),
        "own_words": ("text",),
        "note": ("text", "due_date", "goal_id"),  # the goal is the one the form is under (a hidden field)
        "reaction": ("text", "reply_to_id"),
        "statement": ("text", "reply_to_id"),  # the item it is about (a hidden field)
    }
    KIND_FIELD_NAMES = frozenset(name for names in KIND_FIELDS.values() for name in names)

    def for_kind(self, kind: str, *, youths, members, goals) -> "ItemForm":
        """Keep only the fields of this kind, with labels and choices that fit."""
        keep = set(self.KIND_FIELDS[kind]) | {"version", "csrf_token"}
        for name in [f.name for f in self if f.name not in keep]:
            delattr(self, name)
        self.text.label.text = TEXT_LABELS[kind]
        if "due_date" in keep:
            self.due_date.label.text = DATE_LABELS[kind]
        everyone = _l("The whole family")
        if "youth_id" in keep:
            self.youth_id.choices = [SelectChoice("", everyone)] + [SelectChoice(p.id, p.given_name) for p in youths]
        if "owner_id" in keep:
            self.owner_id.choices = [SelectChoice("", "—")] + [SelectChoice(p.id, p.name) for p in members]
        if "goal_id" in keep:
            self.goal_id.choices = [SelectChoice("", _l("No goal"))] + [
                SelectChoice(g.id, g.text[:60]) for g in goals or ()]
        return self

    def values(self) -> dict:
        """The submitted content fields."""
        return {f.name: f.data for f in self if f.name not in ("version", "csrf_token")}


def empty_progress_form(kind: str) -> ItemForm:
    """An empty form for a progress note (dated today) or a reaction, only drawn: its template writes the token."""
    form = ItemForm(formdata=None, meta={"csrf": False}).for_kind(kind, youths=[], members=[], goals=None)
    if kind == "note":
        form.due_date.data = today()
    return form


def posted_over_saved(saved: dict, formdata: MultiDict) -> MultiDict:
    """The posted fields over the saved ones: a form that sends only some fields (the offline editor sends the
    text) leaves the others as they are saved."""
    merged = MultiDict({name: "" if value is None else str(value) for name, value in saved.items()
                        if name in ItemForm.KIND_FIELD_NAMES})
    for name in formdata:
        merged.setlist(name, formdata.getlist(name))
    return merged


class AgreementForm(BaseForm):
    """Akkoord or niet akkoord, with a reason when not."""

    person_id = HiddenField()
    goal_id = HiddenField()
    decision = RadioField(_l("Do you agree?"), choices=[SelectChoice("agree", _l("Yes, I agree")),
                                                        SelectChoice("disagree", _l("No, I do not agree"))],
                          validate_choice=False)
    reason = TextAreaField(_l("What do you not agree with?"), validators=[at_most(2000)])


class VisibilityForm(BaseForm):
    """Withhold, share or release one item."""

    change = HiddenField()
    reason = TextAreaField(_l("Why is sharing with the parents not good care now?"), validators=[at_most(1000)])
    consulted = StringField(_l("Which other professional did you consult? Name and role"),
                            validators=[at_most(200)])
    opinion = TextAreaField(_l("What does that professional think?"), validators=[at_most(1000)])


class SpeakerForm(BaseForm):
    """On a shared device: who is speaking now."""

    speaker_id = SelectField(_l("Who is speaking now?"), choices=[], validate_choice=False)


class RestoreForm(BaseForm):
    """Bring back an old version."""

    version = IntegerField(validators=[Optional()])
