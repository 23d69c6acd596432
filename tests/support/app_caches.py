"""A test process makes a new app for almost every test; a server makes one per process. Two pieces of work that
give the same result for every app are done once per test process here, instead of once per app:

- URL builders: werkzeug compiles a small Python function for each of the app's ~120 URL rules (twice) when the app
  is made, which was two thirds of the cost of `create_app`. The function depends only on the rule's parts and
  defaults, so one made for an earlier app's identical rule is reused (and bound to the new rule, as werkzeug does).
- Templates: each app's Jinja environment parses and compiles every template it renders. A shared in-memory
  bytecode cache (keyed, as Jinja does, by the template's file and a checksum of its source) lets the next app load
  the compiled template instead.

Nothing of the app's behaviour changes: the same builders and the same compiled templates, made fewer times.
`install()` runs once, from tests/conftest.py.

One cache works the other way round: each mapper keeps the INSERT/UPDATE/DELETE statements it compiled (100 per
mapper), keyed by the database dialect, and every test app has an engine and a dialect of its own. A server has one
engine for its life; a test process had thousands, and the mappers kept each old dialect (with every type it had
adapted) until their caches filled: a worker's heap grew to over a million objects, and Python's full garbage
collections over it took 10 to 28 s of a run. `forget_compiled_writes()` empties those caches after each test.
"""

from collections.abc import Callable
from typing import Any

from flask import Flask
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlmodel.main import default_registry
from werkzeug.routing import Rule


class SharedTemplates(BytecodeCache):
    """Compiled templates kept in memory for every app of the process."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = SharedTemplates()
_builders: dict[tuple, Callable[..., Any]] = {}


def install() -> None:
    """Share URL builders and compiled templates between the apps of this process (see the module's docstring)."""
    if getattr(Rule, "_shared_builders", False):
        return
    compile_builder = Rule._compile_builder

    def shared_builder(rule: Rule, append_unknown: bool = True) -> Callable[..., Any]:
        defaults = rule.defaults or {}
        key = (type(rule), tuple(rule._trace), append_unknown,
               tuple((name, repr(value), type(rule._converters.get(name))) for name, value in sorted(defaults.items())))
        if key not in _builders:
            _builders[key] = compile_builder(rule, append_unknown)
        return _builders[key]

    Rule._compile_builder = shared_builder
    Rule._shared_builders = True

    create_jinja_environment = Flask.create_jinja_environment

    def with_shared_templates(app: Flask):
        environment = create_jinja_environment(app)
        environment.bytecode_cache = TEMPLATES
        return environment

    Flask.create_jinja_environment = with_shared_templates


def forget_compiled_writes() -> None:
    """Empty the mappers' caches of compiled writes (see the module's docstring): the next test's database has a
    dialect of its own, so nothing in them would be used again."""
    for mapper in default_registry.mappers:
        cache = mapper.__dict__.get("_compiled_cache")  # made on a mapper's first write (HasMemoized)
        if cache is not None:
            cache.clear()
