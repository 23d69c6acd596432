"""Rendered parts of the plan page (items, goal blocks, forms), kept in this process and keyed by everything their
HTML depends on (docs/decisions.md, "The plan page's fragment cache").

A big plan draws 150 items and most of them did not change since the last view. Each item's HTML is a pure
function of: the item's stored columns (all of them, not only its version: a visibility change does not raise the
version), what this viewer may do with it (the ItemView's flags), the names it shows, the language, the plan's URL
patterns and the template itself, and the same for the statements and reactions drawn inside it. The key is exactly
that tuple, compared in full (not a hash of it), so two viewers share a fragment only when they would have been sent
the same bytes. The form token differs per session: it is drawn as a placeholder that cannot come from escaped text
and put in when the fragment is served. Who may see an item at all is decided before the cache is asked.
"""

import threading
from collections import OrderedDict
from dataclasses import replace

from flask import current_app
from markupsafe import Markup

from app.core.clock import today
from app.identity.policy import leads_the_plan
from app.plans.models import PlanItem

CSRF_PLACEHOLDER = Markup("<!--csrf-->")  # escaped text can never contain a raw "<"
_COLUMNS = tuple(column.key for column in PlanItem.__table__.columns)
_COLUMN_SET = frozenset(_COLUMNS)
_TEMPLATE = "plans/_item_macro.html"


class FragmentCache:
    """A thread-safe LRU of rendered fragments (`size` entries; 0 keeps nothing)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key):
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return found

    def put(self, key, value: str) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)


def cache() -> FragmentCache:
    """This app's fragment cache (made on first use; PLAN_FRAGMENT_CACHE entries, 0 turns it off)."""
    extensions = current_app.extensions
    if "plan_fragments" not in extensions:
        extensions["plan_fragments"] = FragmentCache(int(current_app.config.get("PLAN_FRAGMENT_CACHE", 5000)))
    return extensions["plan_fragments"]


def item_key(iv, ctx, names: dict[str, str]) -> tuple:
    """Everything one item's HTML depends on, beside the language, URLs and template (see `cached_item`)."""
    item = iv.item
    youth = ctx.people.get(item.youth_id) if item.youth_id else None
    return (
        _columns(item),
        (iv.can_edit, iv.can_tick_off, iv.can_withhold, iv.can_share, iv.can_release, iv.hidden_from_parents,
         iv.needs_help, iv.can_reply, iv.can_state, iv.sees_withheld_reason),
        (names.get(item.author_id), names.get(item.typed_by_id), names.get(item.owner_id),
         youth.given_name if youth is not None else None),
        tuple(item_key(child, ctx, names) for child in iv.statements),
        tuple(item_key(child, ctx, names) for child in iv.replies),
    )


def _columns(row) -> tuple:
    """All column values of an item: straight from its loaded state, or (one expired or not yet loaded) through the
    attributes, which load them: a missing value must never look like an empty one."""
    state = row.__dict__
    if state.keys() >= _COLUMN_SET:
        return tuple(map(state.get, _COLUMNS))
    return tuple(getattr(row, column) for column in _COLUMNS)


def cached_item(iv, k, ctx, names: dict[str, str]) -> Markup:
    """One item as the plan page draws it (no focus), from the cache when this exact view was drawn before."""
    jinja = current_app.jinja_env
    template = jinja.get_template(_TEMPLATE)  # a reloaded template (development) is a new key
    store = cache()
    key = (item_key(iv, ctx, names), k.language, k.u_key, template)
    html = store.get(key)
    if html is None:
        anonymous = getattr(k, "_without_token", None)
        if anonymous is None:
            anonymous = k._without_token = replace(k, csrf=CSRF_PLACEHOLDER)
        html = str(template.module.plan_item(iv, anonymous, ctx, names))
        store.put(key, html)
    return Markup(html.replace(CSRF_PLACEHOLDER, k.csrf))


def cached_add_form(kind: str, ctx, goals: list, k, make_form) -> Markup:
    """A section's empty add form, from the cache when drawn before with the same choices (`make_form`: builds
    the form, only on a miss). Its HTML depends on the kind, the family's names, the goals this viewer may choose
    (texts shown in the task form), the language and the plan's URLs."""
    template = current_app.jinja_env.get_template("plans/_add_form.html")
    choices = (tuple((p.id, p.given_name) for p in ctx.youths), tuple((p.id, p.name) for _, p in ctx.rows),
               tuple((goal.id, goal.text[:60]) for goal in goals) if kind == "action" else ())
    key = ("add", kind, ctx.plan.id, choices, k.language, k.u_key, template)
    store = cache()
    html = store.get(key)
    if html is None:
        html = template.render(kind=kind, form=make_form(), ctx=ctx, token=CSRF_PLACEHOLDER)
        store.put(key, html)
    return Markup(html.replace(CSRF_PLACEHOLDER, k.csrf))


def cached_block(k, key, caller) -> Markup:
    """A `{% call cached_block(k, key) %}...{% endcall %}` block of the plan page, from the cache when drawn before
    with the same `key` (None: drawn every time). The key must hold everything the block shows beside the language
    and the plan's URLs; the block's form token is kept out of the cache."""
    if key is None:
        return caller()
    store = cache()
    full = (key, k.language, k.u_key, caller._func.__code__)  # a changed template is a new key
    html = store.get(full)
    if html is None:
        html = str(caller())
        if k.csrf:  # (an empty token would match between every two characters)
            html = html.replace(k.csrf, CSRF_PLACEHOLDER)
        store.put(full, html)
    return Markup(html.replace(CSRF_PLACEHOLDER, k.csrf))


def agreement_key(pv, state, goal_id: str | None, speaker) -> tuple:
    """Everything one agreement block (plans/_agreement.html, without a form's errors) depends on."""
    decisions = tuple((pid, row.decision, row.reason) for pid, row in sorted(state.decisions.items()))
    required = tuple(sorted(state.required))
    return ("agreement", pv.ctx.plan.id, goal_id, pv.ctx.plan.status, required, decisions,
            tuple(pv.names.get(pid) for pid in required), speaker.author.person_id, speaker.typed_by.person_id)


def progress_key(kind: str, anchor: str) -> tuple:
    """Everything an empty progress form (plans/_progress_form.html) depends on: a note's is dated today."""
    return ("progress", kind, anchor, today())


def goal_key(pv, iv, speaker, form, followed, helps, choosers) -> tuple | None:
    """Everything one goal block of the plan page shows (None, drawn every time: with an agreement form's errors):
    the goal, its tasks and progress notes, whether notes may be written, whether this reader follows it, its help
    (plans/show.html with catalog/_assignment.html and results/_status.html) and its agreement."""
    if form:
        return None
    ctx, names, goal_id = pv.ctx, pv.names, iv.item.id
    help_part = None
    if helps is not None:
        help_part = (_help_key(helps.get(goal_id), names), goal_id in choosers, leads_the_plan(ctx.actor))
    return ("goal", item_key(iv, ctx, names),
            tuple(item_key(view, ctx, names) for view in pv.actions_by_goal.get(goal_id, ())),
            tuple(item_key(view, ctx, names) for view in pv.notes_by_goal.get(goal_id, ())),
            goal_id in ctx.goal_organisations, goal_id in pv.note_goals, today(),
            None if followed is None else goal_id in followed, help_part,
            agreement_key(pv, pv.agreement[goal_id], goal_id, speaker))


def _help_key(assignment, names: dict[str, str]) -> tuple | None:
    """The help chosen for a goal as its block shows it: the assignment's columns, its offer's and provider's name."""
    if assignment is None:
        return None
    columns = tuple(getattr(assignment, column.key) for column in type(assignment).__table__.columns)
    return (columns, assignment.offer.name, assignment.offer.provider.name, names.get(assignment.chosen_by_id))


def waiting_key(pv) -> tuple:
    """Everything the panel of goals that keep the plan waiting shows (plans/_agreement.html, waiting_panel): each
    goal's text and who still has to agree, named (the reader as "you")."""
    reader = pv.ctx.actor.person_id
    return ("waiting", pv.ctx.plan.id, tuple(
        (waiting.goal.id, waiting.goal.text, tuple((pid, pv.names.get(pid), pid == reader) for pid in waiting.people))
        for waiting in pv.waiting))
