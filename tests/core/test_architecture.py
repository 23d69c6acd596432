"""The shape of app/, read from its imports (grimp builds the graph, imports inside functions included).

- No module imports itself back, through any number of others: an import cycle.
- No app import sits inside a function (to dodge a cycle), except in the app factory, which says why.
- The feature packages are layered (LAYERS, lowest first, as in docs/architecture.md). A package imports only
  packages below it; a lower one reacts to a higher one through a signal (app/plans/signals.py) or a hook
  (a package's hooks.py). UPWARD lists the exceptions still left (none); a listed one that is gone fails too.
- Templates ask the policy (`leads_the_plan(ctx.actor)`, …) instead of comparing role names.
"""

import ast
import re
from pathlib import Path

import grimp

APP = Path(__file__).resolve().parents[2] / "app"
LAYERS = ["core", "config", "extensions", "web", "audit", "outbox", "identity", "invitations", "login", "plans",
          "notifications", "catalog", "results", "ratings", "complaints", "children", "dossier", "families",
          "consent", "home", "overview", "caseload", "export", "sync", "zgw", "api", "monitor", "admin", "simulator",
          "demo", "models", "wsgi"]
# (importing package, imported package) that still go up: none. A lower package asks through its hooks.py
# (app/core/hooks.py), which the app factory answers, or announces through a signal.
UPWARD: set[tuple[str, str]] = set()


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("app")


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.find_modules_directly_imported_by(target)))))
                elif target in on_stack:
                    low[module] = min(low[module], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_no_module_imports_itself_back():
    assert _cycles(_graph()) == []


def test_the_cycle_check_finds_a_cycle():
    graph = _graph()
    graph.add_import(importer="app.core.clock", imported="app.plans.models")  # plans.models imports core.clock
    assert ["app.core.clock", "app.plans.models"] in _cycles(graph)


def test_no_app_import_inside_a_function_but_in_the_factory():
    found = []
    for path in APP.rglob("*.py"):
        if path == APP / "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found += [f"{path.relative_to(APP.parent)}:{inner.lineno}" for inner in ast.walk(node)
                          if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("app")]
    assert found == []


def test_packages_import_only_packages_below_them_but_the_listed_ones():
    graph = _graph()
    upward = set()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            importer, target = _package(module), _package(imported)
            if "__init__" in (importer, target) or importer == target:
                continue
            assert {importer, target} <= set(LAYERS), f"{module} -> {imported}: add the package to LAYERS"
            if LAYERS.index(target) > LAYERS.index(importer):
                upward.add((importer, target))
    assert upward - UPWARD == set(), "a package imports one above it: turn it around (a hook or a signal)"
    assert UPWARD - upward == set(), "these go one way now: take them off UPWARD"


ROLE_COMPARISON = re.compile(r"\brole\b(\.value)?\s*(==|!=|\bin\b)")


def test_templates_ask_the_policy_instead_of_comparing_roles():
    """A page asks app/identity/policy.py (leads_the_plan, keeps_the_family_data, …), never `role == "…"`."""
    found = [f"{path.relative_to(APP)}:{number}" for path in sorted((APP / "templates").rglob("*.html"))
             for number, line in enumerate(path.read_text().splitlines(), 1) if ROLE_COMPARISON.search(line)]
    assert found == []
    assert ROLE_COMPARISON.search('{% if membership.role != "professional" %}')  # what the check looks for
