"""Who may see, change and consent: the Jeugdwet age rules (§7.3) as pure functions, no I/O.

Ages are whole years on today's date in Europe/Amsterdam, so a birthday changes rights without any job:
  under 12  parents with custody consent and see everything; the child sees a child-friendly view;
  12 to 15  the youth and the parents with custody consent; the professional may withhold an item
            from parents when sharing conflicts with good care (recorded with a reason);
  16 and up the youth alone consents and decides per item whether parents may see it.
Network members see only actions assigned to them and may only tick them off; parents without custody see only
what the professional released; provider staff see only the goals assigned to their organisation (not the tasks
under them); municipality staff see no content.
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

CHILD_UNTIL = 12  # under 12: parents decide
YOUTH_DECIDES_FROM = 16  # from 16: the youth alone decides


class Role(enum.StrEnum):
    """What an actor is to the family (or to the system) when asking a question."""

    YOUTH = "youth"
    PARENT = "parent"
    NETWORK = "network"
    PROFESSIONAL = "professional"
    PROVIDER_STAFF = "provider_staff"
    MUNICIPALITY_STAFF = "municipality_staff"
    NONE = "none"


class AgeBand(enum.StrEnum):
    """The three bands of the law."""

    CHILD = "child"  # under 12
    YOUNG_TEEN = "young_teen"  # 12 to 15
    DECIDES = "decides"  # 16 and older


def age_band(age: int) -> AgeBand:
    """Return the legal age band for an age in whole years."""
    if age < CHILD_UNTIL:
        return AgeBand.CHILD
    if age < YOUTH_DECIDES_FROM:
        return AgeBand.YOUNG_TEEN
    return AgeBand.DECIDES


@dataclass(frozen=True)
class Actor:
    """Someone asking: their role in this family (or organisation), custody, age and organisation."""

    person_id: str | None
    role: Role
    has_custody: bool = False
    age: int | None = None
    organisation_id: str | None = None


@dataclass(frozen=True)
class Youth:
    """A young person of the family, with today's age."""

    person_id: str
    age: int


@dataclass(frozen=True)
class Item:
    """The facts about one piece of family data that decide who may see or change it."""

    kind: str  # strength, worry, goal, action, safety, evaluation, own_words, note, reaction, log
    author_id: str | None = None
    youth: Youth | None = None  # the youth it concerns; None: the whole family
    author_youth_age: int | None = None  # the author's age when writing, if the author is a youth
    withheld_from_parents: bool = False  # professional's decision for a 12-15 year old, with a reason
    shared_with_parents: bool | None = None  # a 16+ youth's decision; None: not decided (not shared)
    released_to_non_custody: bool = False  # professional released it to a parent without custody
    assignee_ids: frozenset[str] = field(default_factory=frozenset)  # owners of an action
    organisation_ids: frozenset[str] = field(default_factory=frozenset)  # providers assigned to a goal
    parent: "Item | None" = None  # a reaction's progress note: whoever may not see the note, may not see the reaction


PROFESSIONAL_ONLY_KINDS = frozenset({"safety"})
# What assigned provider staff see of a goal: the goal, its progress notes and the family's reactions to them.
PROVIDER_KINDS = frozenset({"goal", "note", "reaction", "statement"})  # with the family's statements on them
# a progress note, a reaction or a statement is changed by its writer alone
AUTHOR_ONLY_KINDS = frozenset({"note", "reaction", "statement"})


def can_view(actor: Actor, item: Item) -> bool:
    """May this actor see this item?"""
    if item.parent is not None and not can_view(actor, item.parent):
        return False  # nobody learns of a note hidden from them through a reaction to it
    match actor.role:
        case Role.PROFESSIONAL:
            return True
        case Role.PROVIDER_STAFF:
            return (item.kind in PROVIDER_KINDS and actor.organisation_id is not None
                    and actor.organisation_id in item.organisation_ids)
        case Role.NETWORK:
            return item.kind == "action" and actor.person_id in item.assignee_ids
        case Role.YOUTH:
            return _youth_can_view(actor, item)
        case Role.PARENT:
            if not actor.has_custody and not item.released_to_non_custody:
                return False
            return _parents_may_see(item)
        case _:
            return False


def _youth_can_view(actor: Actor, item: Item) -> bool:
    if item.youth is not None and item.youth.person_id != actor.person_id:
        return actor.person_id in item.assignee_ids  # a sibling's item only when it is their own task
    return True


def _parents_may_see(item: Item) -> bool:
    """The age rules for parents (with custody, or released to them)."""
    written_at_16 = item.author_youth_age is not None and item.author_youth_age >= YOUTH_DECIDES_FROM
    if written_at_16 and item.shared_with_parents is not True:
        return False  # written at 16 or older: private until the youth shares it
    if item.youth is None:
        return True
    band = age_band(item.youth.age)
    if band is AgeBand.CHILD:
        return True
    if band is AgeBand.YOUNG_TEEN:
        return not item.withheld_from_parents
    return item.shared_with_parents is True


def can_edit(actor: Actor, item: Item) -> bool:
    """May this actor change this item? Only what they may see, and only in their part."""
    if not can_view(actor, item):
        return False
    if item.kind in AUTHOR_ONLY_KINDS:
        return item.author_id == actor.person_id and can_create(actor, item.kind)
    match actor.role:
        case Role.PROFESSIONAL:
            return True
        case Role.NETWORK:
            return False  # a network member only ticks off their own task (can_tick_off)
        case Role.YOUTH:
            if item.kind in PROFESSIONAL_ONLY_KINDS:
                return False
            if actor.age is not None and actor.age < CHILD_UNTIL:
                return item.kind == "own_words" and item.author_id == actor.person_id
            return item.kind != "own_words" or item.author_id == actor.person_id
        case Role.PARENT:
            if not actor.has_custody or item.kind in PROFESSIONAL_ONLY_KINDS:
                return False
            return item.kind != "own_words" or item.author_id == actor.person_id
        case _:
            return False


def can_tick_off(actor: Actor, item: Item) -> bool:
    """May this actor tick a task off (or on again)? Whoever may change it, and the person it is assigned to."""
    if item.kind != "action" or not can_view(actor, item):
        return False
    return can_edit(actor, item) or actor.person_id in item.assignee_ids


def can_change_subject(actor: Actor, author: Actor | None, before: Item, after: Item) -> bool:
    """May this actor change whom an item is about (the young person, or the goal a task serves)?

    What a young person wrote stays theirs to move, and nobody may take an item out of their own or its author's
    sight: otherwise a parent could re-point a son's words to his sister, who would then read them.
    """
    if before.youth == after.youth:
        return True
    if before.author_youth_age is not None and actor.person_id != before.author_id:
        return False
    return can_view(actor, after) and (author is None or can_view(author, after))


def can_read_access_log(actor: Actor) -> bool:
    """Who may read the family's access log ("Wie heeft gekeken"): the professional, youths, parents with custody."""
    return leads_the_plan(actor) or keeps_the_family_data(actor)


def can_withhold_from_parents(actor: Actor, item: Item) -> bool:
    """Only the professional withholds, and only for a youth of 12 to 15 (above that the youth decides)."""
    return (actor.role is Role.PROFESSIONAL and item.youth is not None
            and age_band(item.youth.age) is AgeBand.YOUNG_TEEN)


def can_decide_sharing(actor: Actor, item: Item) -> bool:
    """A youth of 16 or older decides whether parents may see an item about them or written by them."""
    if actor.role is not Role.YOUTH or actor.age is None or actor.age < YOUTH_DECIDES_FROM:
        return False
    about_them = item.youth is not None and item.youth.person_id == actor.person_id
    return about_them or item.author_id == actor.person_id


@dataclass(frozen=True)
class Member:
    """A family member as the consent rules see them."""

    person_id: str
    role: Role
    has_custody: bool = False
    age: int | None = None


def required_for_youth(youth: Youth, members: Iterable[Member]) -> frozenset[str]:
    """Who must consent to help for this youth (Jeugdwet 7.3.4, 7.3.5, 7.3.15)."""
    parents = frozenset(m.person_id for m in members if m.role is Role.PARENT and m.has_custody)
    band = age_band(youth.age)
    if band is AgeBand.CHILD:
        return parents
    if band is AgeBand.YOUNG_TEEN:
        return parents | {youth.person_id}
    return frozenset({youth.person_id})


def required_consenters(members: Iterable[Member], youth_id: str | None = None) -> frozenset[str]:
    """Who must agree: for one youth's goal, or (youth_id None) for the plan, the union over all youths."""
    members = list(members)
    youths = [Youth(m.person_id, m.age) for m in members if m.role is Role.YOUTH and m.age is not None]
    if youth_id is not None:
        youths = [y for y in youths if y.person_id == youth_id]
    required: frozenset[str] = frozenset()
    for youth in youths:
        required |= required_for_youth(youth, members)
    return required


def has_voice_not_vote(member: Member) -> bool:
    """A child under 12 is heard (their voice counts) but does not consent."""
    return member.role is Role.YOUTH and member.age is not None and member.age < CHILD_UNTIL


CREATABLE = {
    Role.PROFESSIONAL: frozenset({"strength", "worry", "goal", "action", "safety", "evaluation", "own_words", "note"}),
    Role.PARENT: frozenset({"strength", "worry", "goal", "action", "reaction", "statement"}),
    Role.YOUTH: frozenset({"strength", "worry", "goal", "action", "own_words", "reaction", "statement"}),
    Role.PROVIDER_STAFF: frozenset({"note"}),  # on a goal assigned to their organisation (they see no other)
}


CHILD_KINDS = frozenset({"strength", "worry", "own_words"})  # a child's three houses: good, worries, wishes


def can_create(actor: Actor, kind: str) -> bool:
    """May this actor add an item of this kind? Children under 12 add what goes well, their worries and their
    wishes (own words): their voice, not decisions."""
    if actor.role is Role.PARENT and not actor.has_custody:
        return False
    if actor.role is Role.YOUTH and actor.age is not None and actor.age < CHILD_UNTIL:
        return kind in CHILD_KINDS
    return kind in CREATABLE.get(actor.role, frozenset())


def is_child(member) -> bool:
    """A youth under 12: the plan shows them the child view (Drie Huizen) by default."""
    return member.role == Role.YOUTH and member.age is not None and member.age < CHILD_UNTIL


def can_show_child_view(actor: Actor, child: Actor) -> bool:
    """Who may open a child's view and add to it in the child's name: the child, and on their own phone a parent with
    custody or the family's professional ("Laat Noor zien"). What is added is the child's, typed by them."""
    if not is_child(child):
        return False
    if actor.person_id == child.person_id:
        return True
    return (actor.role is Role.PARENT and actor.has_custody) or actor.role is Role.PROFESSIONAL


def can_make_statement(actor: Actor, item: Item) -> bool:
    """Who may add their own statement to an item (Jeugdwet 7.3.8 lid 2): the betrokkene, by the age rules. About a
    child under 12: the parents with custody; 12 to 15: the youth and those parents; from 16: the youth alone; about
    the whole family: the parents with custody and youths from 12. Only on what they may see, never on a statement."""
    if item.kind == "statement" or not can_create(actor, "statement") or not can_view(actor, item):
        return False  # (the cheap questions first: a plan page asks this of every item)
    parent = actor.role is Role.PARENT and actor.has_custody
    if item.youth is None:
        return parent or (actor.role is Role.YOUTH and (actor.age or 0) >= CHILD_UNTIL)
    band = age_band(item.youth.age)
    if actor.role is Role.YOUTH:
        return actor.person_id == item.youth.person_id and band is not AgeBand.CHILD
    return parent and band is not AgeBand.DECIDES


def must_ask_destruction(members: Iterable[Member], youth_id: str | None) -> frozenset[str]:
    """Who must ask before a part of the dossier may be destroyed (Jeugdwet 7.3.9): the betrokkene of the youth it is
    about by the age rules (under 12 the parents with custody; 12 to 15 the youth and those parents together; from 16
    the youth alone); for a part about the whole family, or the whole dossier, those of every youth."""
    return required_consenters(members, youth_id)


def can_release_to_non_custody(actor: Actor) -> bool:
    """Only the professional releases items to a parent without custody."""
    return actor.role is Role.PROFESSIONAL


EDITOR = "editor"  # a staff role only: the municipality's redactie of ratings
FUNCTIONAL_MANAGER, ORG_ADMIN, AUDITOR = "functional_manager", "org_admin", "auditor"  # staff roles only

# Questions the pages ask about someone's role (an Actor, a family membership or a staff membership), so that no
# template compares role names itself.

def leads_the_plan(member) -> bool:
    """The family's youth care professional leads the plan: asks everyone to agree, confirms chosen help, reads why
    an item is withheld from the parents, and manages the family's members."""
    return member.role == Role.PROFESSIONAL


def keeps_the_family_data(member) -> bool:
    """Youths and parents with custody give consent and read who viewed or changed the family's data, as family
    members (the professional reads the log through the plan)."""
    return member.role == Role.YOUTH or (member.role == Role.PARENT and member.has_custody)


def is_youth(member) -> bool:
    """A youth of the family (their age is shown beside their name)."""
    return member.role == Role.YOUTH


ADULT_FROM = 18


def lands_on_own_view(role: str, age: int | None, choice: str | None) -> bool:
    """A youth under 18 opens the plan in a view of their own (the child view under 12, "my plan" from 12), unless
    they chose the whole plan: the view follows their age, which changes on their birthday."""
    return role == Role.YOUTH and age is not None and age < ADULT_FROM and choice != "adult"


def has_caseload(staff) -> bool:
    """Staff of a gebiedsteam have families of their own to follow."""
    return staff.role == Role.PROFESSIONAL


def answers_for_provider(staff) -> bool:
    """Staff of a provider answer the ratings of their organisation."""
    return staff.role == Role.PROVIDER_STAFF


def works_on_assignments(staff) -> bool:
    """Staff of a provider work on the goals assigned to their organisation (their caseload, /werk), and handle its
    complaints. An org_admin manages the staff but reaches no family, so has no caseload."""
    return staff.role == Role.PROVIDER_STAFF


def moderates_ratings(staff) -> bool:
    """The municipality's redactie checks ratings before they are published."""
    return staff.role == EDITOR


def manages_staff(staff) -> bool:
    """The municipality's functional manager and an organisation's admin decide who works in Ons Plan."""
    return staff.role in (FUNCTIONAL_MANAGER, ORG_ADMIN)


def audits_the_log(staff) -> bool:
    """Auditors (and the functional manager) check the access log's integrity."""
    return staff.role in (AUDITOR, FUNCTIONAL_MANAGER)


def reads_the_monitor(staff) -> bool:
    """Municipality staff read the figures per month."""
    return staff.role == Role.MUNICIPALITY_STAFF


TEMPLATE_GLOBALS = {function.__name__: function for function in
                    (leads_the_plan, keeps_the_family_data, is_youth, is_child, has_caseload,
                     answers_for_provider, works_on_assignments, moderates_ratings, reads_the_monitor, manages_staff,
                     audits_the_log)}
