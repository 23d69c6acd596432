"""The age rules (Jeugdwet §7.3) as properties over ages, roles and item authors."""

from hypothesis import given
from hypothesis import strategies as st

from app.identity.policy import (
    Actor,
    Item,
    Member,
    Role,
    Youth,
    age_band,
    can_change_subject,
    can_decide_sharing,
    can_edit,
    can_tick_off,
    can_view,
    can_withhold_from_parents,
    has_voice_not_vote,
    required_consenters,
)

ages = st.integers(min_value=0, max_value=23)
kinds = st.sampled_from(["strength", "worry", "goal", "action", "safety", "evaluation", "own_words", "note"])
ids = st.sampled_from(["tom", "lisa", "noor", "sanne", "erik", "fenna", "mark", "karin"])


@st.composite
def items(draw):
    youth = draw(st.none() | st.builds(Youth, person_id=st.sampled_from(["tom", "lisa", "noor"]), age=ages))
    return Item(
        kind=draw(kinds),
        author_id=draw(st.none() | ids),
        youth=youth,
        author_youth_age=draw(st.none() | ages),
        withheld_from_parents=draw(st.booleans()),
        shared_with_parents=draw(st.none() | st.booleans()),
        released_to_non_custody=draw(st.booleans()),
        assignee_ids=frozenset(draw(st.lists(ids, max_size=3))),
        organisation_ids=frozenset(draw(st.lists(st.sampled_from(["kompas", "other"]), max_size=2))),
    )


@st.composite
def actors(draw):
    role = draw(st.sampled_from(list(Role)))
    return Actor(person_id=draw(ids), role=role, has_custody=draw(st.booleans()) and role is Role.PARENT,
                 age=draw(ages) if role is Role.YOUTH else None,
                 organisation_id=draw(st.sampled_from(["kompas", "other"])) if role is Role.PROVIDER_STAFF else None)


def parent(custody=True):
    return Actor("sanne", Role.PARENT, has_custody=custody)


@given(items())
def test_professional_of_the_family_sees_everything(item):
    assert can_view(Actor("mark", Role.PROFESSIONAL), item)


@given(items())
def test_municipality_staff_and_strangers_see_no_content(item):
    assert not can_view(Actor("jeroen", Role.MUNICIPALITY_STAFF), item)
    assert not can_view(Actor(None, Role.NONE), item)


@given(actors(), items())
def test_whoever_may_edit_may_also_see(actor, item):
    if can_edit(actor, item):
        assert can_view(actor, item)


@given(items())
def test_parent_without_custody_sees_only_what_was_released(item):
    if not item.released_to_non_custody:
        assert not can_view(parent(custody=False), item)
    assert not can_edit(parent(custody=False), item)


@given(st.integers(min_value=16, max_value=23), items())
def test_nothing_about_a_youth_of_16_or_more_reaches_parents_unless_the_youth_shares(age, item):
    item = Item(**{**item.__dict__, "youth": Youth("lisa", age), "shared_with_parents": False})
    assert not can_view(parent(), item)
    assert not can_view(parent(custody=False), item)


@given(st.integers(min_value=16, max_value=23), items())
def test_what_a_youth_writes_at_16_or_more_stays_private_until_shared(age, item):
    private = Item(**{**item.__dict__, "youth": None, "author_id": "lisa", "author_youth_age": age,
                      "shared_with_parents": None})
    assert not can_view(parent(), private)
    shared = Item(**{**private.__dict__, "shared_with_parents": True})
    assert can_view(parent(), shared)


@given(st.integers(min_value=0, max_value=11), kinds)
def test_parents_with_custody_see_everything_about_a_child_under_12(age, kind):
    item = Item(kind=kind, youth=Youth("noor", age), withheld_from_parents=True)
    assert can_view(parent(), item)


@given(st.integers(min_value=12, max_value=15))
def test_withholding_hides_from_parents_of_12_to_15_only(age):
    item = Item(kind="worry", youth=Youth("tom", age), withheld_from_parents=True)
    assert not can_view(parent(), item)
    assert can_view(Actor("tom", Role.YOUTH, age=age), item)
    assert can_view(Actor("mark", Role.PROFESSIONAL), item)
    assert can_view(parent(), Item(kind="worry", youth=Youth("tom", age)))


@given(ages)
def test_only_the_professional_withholds_and_only_for_12_to_15(age):
    item = Item(kind="goal", youth=Youth("tom", age))
    assert can_withhold_from_parents(Actor("mark", Role.PROFESSIONAL), item) == (12 <= age <= 15)
    assert not can_withhold_from_parents(parent(), item)


@given(ages)
def test_only_a_youth_of_16_or_more_decides_sharing_of_their_items(age):
    item = Item(kind="goal", youth=Youth("lisa", age))
    assert can_decide_sharing(Actor("lisa", Role.YOUTH, age=age), item) == (age >= 16)
    assert not can_decide_sharing(Actor("tom", Role.YOUTH, age=age), item)
    assert not can_decide_sharing(parent(), item)


@given(items())
def test_network_sees_only_actions_assigned_to_them(item):
    fenna = Actor("fenna", Role.NETWORK)
    assert can_view(fenna, item) == (item.kind == "action" and "fenna" in item.assignee_ids)
    assert not can_edit(fenna, item)  # she only ticks her own task off
    assert can_tick_off(fenna, item) == (item.kind == "action" and "fenna" in item.assignee_ids)


@given(items())
def test_provider_staff_see_only_goals_of_their_organisation(item):
    karin = Actor("karin", Role.PROVIDER_STAFF, organisation_id="kompas")  # the goal, not the tasks under it
    assert can_view(karin, item) == (item.kind in ("goal", "note") and "kompas" in item.organisation_ids)


@given(items(), ages)
def test_a_youth_never_sees_a_siblings_item_that_is_not_their_task(item, age):
    tom = Actor("tom", Role.YOUTH, age=age)
    if item.youth is not None and item.youth.person_id != "tom" and "tom" not in item.assignee_ids:
        assert not can_view(tom, item)


@given(ages, kinds)
def test_safety_agreements_are_edited_by_the_professional_only(age, kind):
    item = Item(kind="safety", youth=Youth("tom", age))
    assert can_edit(Actor("mark", Role.PROFESSIONAL), item)
    assert not can_edit(parent(), item)
    assert not can_edit(Actor("tom", Role.YOUTH, age=age), item)


def test_birthday_moves_rights_from_parents_to_youth():
    at_15 = Item(kind="goal", youth=Youth("lisa", 15))
    at_16 = Item(kind="goal", youth=Youth("lisa", 16))
    assert can_view(parent(), at_15)
    assert not can_view(parent(), at_16)


family_ages = st.tuples(ages, ages, ages)


def members(tom, lisa, noor):
    return [Member("sanne", Role.PARENT, True), Member("erik", Role.PARENT, True),
            Member("oud-ouder", Role.PARENT, False), Member("fenna", Role.NETWORK),
            Member("mark", Role.PROFESSIONAL), Member("tom", Role.YOUTH, age=tom),
            Member("lisa", Role.YOUTH, age=lisa), Member("noor", Role.YOUTH, age=noor)]


@given(ages)
def test_who_consents_for_one_youth_follows_the_age_band(age):
    required = required_consenters(members(age, 30, 30), youth_id="tom")
    parents = {"sanne", "erik"}
    if age < 12:
        assert required == parents
    elif age < 16:
        assert required == parents | {"tom"}
    else:
        assert required == {"tom"}


@given(family_ages)
def test_network_professional_and_parents_without_custody_never_consent(family):
    required = required_consenters(members(*family))
    assert not required & {"fenna", "mark", "oud-ouder"}


@given(family_ages)
def test_plan_consent_is_the_union_over_the_youths(family):
    required = required_consenters(members(*family))
    for youth_id, age in zip(("tom", "lisa", "noor"), family, strict=True):
        assert (youth_id in required) == (age >= 12)
    assert ({"sanne", "erik"} <= required) == any(age < 16 for age in family)


def test_children_under_12_have_a_voice_not_a_vote():
    assert has_voice_not_vote(Member("noor", Role.YOUTH, age=9))
    assert not has_voice_not_vote(Member("tom", Role.YOUTH, age=14))
    assert [age_band(age).value for age in (11, 12, 15, 16)] == ["child", "young_teen", "young_teen", "decides"]


actors = st.builds(Actor, ids, st.sampled_from([Role.YOUTH, Role.PARENT, Role.PROFESSIONAL]), st.booleans(),
                   ages)


@given(items(), st.one_of(st.none(), st.builds(Youth, ids, ages)), actors, actors)
def test_moving_an_item_to_another_youth_never_takes_it_from_its_author_or_exposes_a_youths_words(
        item, youth, actor, author):
    moved = Item(**(item.__dict__ | {"youth": youth}))
    author = Actor(item.author_id, author.role, author.has_custody, author.age)
    if not can_change_subject(actor, author, item, moved) or item.youth == youth:
        return
    assert can_view(actor, moved)
    assert can_view(author, moved)
    assert item.author_youth_age is None or actor.person_id == item.author_id
