"""A form that comes back with mistakes (422) starts with an error summary: it takes focus, and it links each mistake
to its field (as a full page and as an htmx fragment)."""

from html.parser import HTMLParser

import pytest

from tests.conftest import csrf_token, sign_in_person
from tests.identity.test_invitations import opened  # noqa: F401  (a family with its professional)
from tests.identity.test_routes import post_profile, signed_in
from tests.plans.conftest import plan_app, signed_in_world  # noqa: F401  (plan_app: a fixture)

HTMX = {"HX-Request": "true"}


@pytest.fixture
def tom(bare_app):
    """Tom (Dutch), signed in."""
    return signed_in(bare_app)


class Summary(HTMLParser):
    """The error summary of a page (its attributes, heading, links) and the ids of every element on it."""

    def __init__(self, html: str):
        super().__init__()
        self.attrs: dict | None = None
        self.heading: tuple[str, str] | None = None
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self._depth = 0  # elements open inside the summary
        self._in: str | None = None  # "heading" or "link", while its text comes
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if self._depth:
            self._depth += tag not in ("br", "img", "input")
            if tag in ("h2", "h3", "h4"):
                self._in, self._text, self._tag = "heading", "", tag
            elif tag == "a":
                self._in, self._text, self._href = "link", "", attrs.get("href")
        elif "error-summary" in (attrs.get("class") or "").split():
            assert self.attrs is None, "more than one error summary"
            self.attrs, self._depth = attrs, 1

    def handle_endtag(self, tag):
        if not self._depth:
            return
        if self._in == "heading" and tag == self._tag:
            self.heading, self._in = (tag, " ".join(self._text.split())), None
        elif self._in == "link" and tag == "a":
            self.links.append((self._href, " ".join(self._text.split())))
            self._in = None
        self._depth -= 1

    def handle_data(self, data):
        if self._in:
            self._text += data


def test_profile_422_starts_with_a_focused_summary_linking_each_mistake(tom):
    response = post_profile(tom, given_name="")
    assert response.status_code == 422
    page = Summary(response.get_data(as_text=True))
    assert page.attrs is not None, "no error summary"
    assert page.attrs["tabindex"] == "-1"
    assert "autofocus" in page.attrs
    assert page.heading == ("h2", "Controleer wat je hebt ingevuld")
    assert page.links == [("#given_name", "Je voornaam, zoals anderen die zien: Vul je naam in.")]
    assert "given_name" in page.ids


def test_profile_422_as_htmx_fragment_has_the_same_summary(tom):
    response = post_profile(tom, htmx=True, given_name="")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" not in html
    page = Summary(html)
    assert [href for href, _ in page.links] == ["#given_name"]
    assert "given_name" in page.ids


def test_a_saved_form_has_no_summary(tom):
    response = post_profile(tom, htmx=True, given_name="Tom")
    assert response.status_code == 200
    assert Summary(response.get_data(as_text=True)).attrs is None


def test_plan_editor_422_links_to_its_own_prefixed_field(plan_app):  # noqa: F811
    world, client = signed_in_world(plan_app, "erik")
    with plan_app.app_context():
        worry = world.item("worry", author_id=world.people["erik"])
        url, version = f"/plan/{world.plan_id}/onderdelen/{worry.id}/bewerken", worry.version
    token = csrf_token(client, url)
    for headers, level in (({}, "h2"), ({**HTMX, "X-CSRFToken": token}, "h3")):
        response = client.post(url, data={"csrf_token": token, "version": version, "text": "x" * 10_001},
                               headers=headers)
        assert response.status_code == 422
        page = Summary(response.get_data(as_text=True))
        # under the page's h1 alone; inside a plan section (h2) as a fragment
        assert page.heading is not None
        assert page.heading[0] == level, page.heading
        assert [href for href, _ in page.links] == [f"#item-{worry.id}-text"]
        assert f"item-{worry.id}-text" in page.ids
        assert "autofocus" in page.attrs


def test_plan_add_form_422_links_to_the_add_forms_field(plan_app):  # noqa: F811
    world, client = signed_in_world(plan_app, "erik")
    token = csrf_token(client, f"/plan/{world.plan_id}")
    response = client.post(f"/plan/{world.plan_id}/onderdelen/goal", headers={**HTMX, "X-CSRFToken": token},
                           data={"text": "", "domain": "school"})
    assert response.status_code == 422
    page = Summary(response.get_data(as_text=True))
    assert [href for href, _ in page.links] == ["#add-goal-text"]
    assert "add-goal-text" in page.ids


def test_invitation_422_links_a_choice_to_its_first_option(opened):  # noqa: F811
    client = opened.app.test_client()
    sign_in_person(client, opened.professional_id)
    url = f"/gezinnen/{opened.family_id}/uitnodigen"
    token = csrf_token(client, url)
    response = client.post(url, data={"csrf_token": token, "given_name": "Sietske", "language": "nl"})
    assert response.status_code == 422
    page = Summary(response.get_data(as_text=True))
    assert page.links == [("#role-0", "Rol in het gezin: Kies een rol.")]
    assert "role-0" in page.ids
