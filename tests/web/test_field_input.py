"""field_input draws the same controls as WTForms' own widgets (it only skips their per-call overhead)."""

from datetime import date
from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import MultiDict

from app.plans.forms import ItemForm
from app.web.forms import field_input


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.elements.append(("text", data.strip()))


def _parsed(html: str) -> list[tuple]:
    parser = _Elements()
    parser.feed(str(html))
    return [element for element in parser.elements if element != ("text", "")]


class _Person:
    def __init__(self, id_, name):
        self.id, self.name, self.given_name = id_, name, name


class _Goal:
    def __init__(self, id_, text):
        self.id, self.text = id_, text


@pytest.mark.parametrize("kind", list(ItemForm.KIND_FIELDS))
@pytest.mark.parametrize("posted", [False, True])
def test_field_input_matches_the_wtforms_widget(app, kind, posted):
    data = MultiDict({"text": 'Fjouwer <script>alert("x")</script> & ûnder', "result": "Better \u263a",
                      "domain": "school", "youth_id": "p2", "owner_id": "p1", "goal_id": "g2",
                      "due_date": "1900-13-01" if posted else "", "helpers": "oma Fenna"})
    people = [_Person("p1", "Sanne"), _Person("p2", 'Tom "T" <b>')]
    goals = [_Goal("g1", "Naar school"), _Goal("g2", "Sport & spel")]
    with app.test_request_context(method="POST" if posted else "GET", data=data if posted else None):
        form = ItemForm(formdata=data if posted else None, obj=None) if posted else ItemForm(due_date=date(2026, 3, 1))
        form.for_kind(kind, youths=people, members=people, goals=goals)
        if posted:
            form.validate()
            form.text.errors = [*form.text.errors, "Too long"]
        for field in form:
            if field.name in ("csrf_token", "version"):
                continue
            ours = field_input(field, f"add-{field.id}", f"add-{field.id}-error")
            kwargs = {"class_": "field__input", "id": f"add-{field.id}"}
            if field.errors:
                kwargs.update(aria_invalid="true", aria_describedby=f"add-{field.id}-error")
            assert _parsed(ours) == _parsed(field(**kwargs)), field.name
