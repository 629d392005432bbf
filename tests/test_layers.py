"""The house's floors (STYLE.md, README's Architecture): imports run one way, from an app to
the apps on the floors below it; only the project's settings and URLconf look at every app.

This reads the source of every module of the apps (not tests/), imports inside functions
included, so that a new import against the direction, or one that closes a loop between apps,
fails here by name. An exception is listed in ALLOWED with its reason, and only while the code
still needs it.
"""

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom up. An app imports the apps of the floors below its own: never an app of its own floor,
# never one above. An app not in this tree yet (reports, demo) takes its floor when it comes.
FLOORS = [
    ("ema",),
    ("residents",),
    ("interventions",),
    ("partners",),
    # Team practice: meetings and case discussions, clinical support and workload, residents'
    # path to power, a site's collective issues.
    ("team", "support", "empowerment", "collective"),
    ("privacy", "incidents", "reports", "offline"),
    ("reminders", "downloads"),
    # The developmental evaluation: the practice journal and the research export read them all.
    ("evaluation",),
    ("demo",),
]
FLOOR = {app: level for level, apps in enumerate(FLOORS) for app in apps}
# They wire every app together (INSTALLED_APPS, the URLconf's includes).
EVERY_APP = {"ema.settings", "ema.urls"}

# (importing module, imported module): why. Each one is named here on purpose.
ALLOWED = {
    # Where a page composes two apps (README, Architecture): the household and resident pages
    # call the upper apps' selectors from the view.
    ("residents.views", "interventions.selectors"): "the household's timeline of interventions",
    ("residents.views", "partners.selectors"): "the referrals and committee seats of a page",
    ("residents.views", "empowerment.selectors"): "the resident's path: their roles over time",
    # The full intervention form names the partners present: its page asks the directory.
    ("interventions.views", "partners.selectors"): "the partners one may say were present",
    # « Mes suivis » lists the actions given at team meetings beside the follow-ups.
    ("interventions.views", "team.selectors"): "a team meeting's actions are follow-ups too",
    # The household and resident pages show that a case discussion took place.
    ("residents.views", "team.selectors"): "the case discussions of a household's timeline",
}


def _app(module: str) -> str:
    return module.partition(".")[0]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the apps in this tree, by dotted name."""
    return {
        _module_name(path): path
        for app in FLOOR
        if (ROOT / app / "__init__.py").exists()
        for path in sorted((ROOT / app).rglob("*.py"))
    }


def _target(name: str, known: dict) -> str:
    """The module an imported name reads: its longest prefix that is a module of ours
    (`residents.models.Household` reads residents.models)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in known:
            return ".".join(parts[:end])
    return name


def imports_of(source: str, module: str, *, package: bool = False, known=None) -> set[str]:
    """The apps' modules that `source` (the module `module`) imports, wherever in it."""
    known = modules() if known is None else known
    anchor = module if package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = anchor.split(".")[: len(anchor.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            # `from residents import views` reads residents.views, a module of its own.
            names = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(_target(name, known) for name in names if _app(name) in FLOOR)
    return found


@cache
def graph() -> dict[str, set[str]]:
    """Module -> the apps' modules it imports."""
    return {
        module: imports_of(path.read_text(), module, package=path.name == "__init__.py")
        for module, path in modules().items()
    }


def _against_the_floors(module: str, imported: str) -> bool:
    importer, target = _app(module), _app(imported)
    return importer != target and FLOOR[target] >= FLOOR[importer]


def test_every_app_imports_only_the_floors_below_it():
    breaches = [
        f"{module} imports {imported}: {_app(module)} may import only "
        f"{', '.join(app for app, level in FLOOR.items() if level < FLOOR[_app(module)]) or '—'}"
        for module, imported_modules in sorted(graph().items())
        if module not in EVERY_APP
        for imported in sorted(imported_modules)
        if _against_the_floors(module, imported) and (module, imported) not in ALLOWED
    ]
    assert not breaches, "\n".join(breaches)


def test_every_exception_is_still_needed():
    stale = [
        f"{module} -> {imported}"
        for module, imported in ALLOWED
        if module not in graph()
        or imported not in graph()[module]
        or not _against_the_floors(module, imported)
    ]
    assert not stale, "No longer needed, remove from ALLOWED:\n" + "\n".join(stale)


def _loops(edges: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_loop_of_imports_crosses_two_apps():
    # The exceptions above go up a floor: none of them may lead back down to where it started.
    edges = {
        module: {imported for imported in targets if imported not in EVERY_APP}
        for module, targets in graph().items()
        if module not in EVERY_APP
    }
    crossing = [
        sorted(loop) for loop in _loops(edges) if len({_app(module) for module in loop}) > 1
    ]
    assert not crossing, "\n".join(" <-> ".join(loop) for loop in crossing)


def test_the_walk_sees_imports_inside_functions_and_relative_ones():
    known = {"residents.views": None, "partners.models": None, "residents.models": None}
    source = (
        "from . import views\n"
        "def later():\n"
        "    from partners.models import Referral\n"
        "    import residents.models\n"
    )
    assert imports_of(source, "residents.imports", package=True, known=known) == {
        "residents.imports.views",
        "partners.models",
        "residents.models",
    }


def test_the_floors_name_each_app_once_and_the_walk_finds_them():
    named = [app for apps in FLOORS for app in apps]
    assert len(named) == len(set(named))
    apps = defaultdict(int)
    for module in modules():
        apps[_app(module)] += 1
    assert {"ema", "residents", "interventions", "partners", "privacy", "incidents"} <= set(apps)


def _test_modules() -> dict[str, ast.Module]:
    tests = ROOT / "tests"
    return {
        ".".join(path.relative_to(ROOT).with_suffix("").parts): ast.parse(path.read_text())
        for path in sorted(tests.rglob("*.py"))
    }


def test_no_test_module_imports_another():
    """What tests share lives in helpers (tests/helpers.py, factories, logins, url_table...):
    a test module is read on its own."""
    found = []
    for name, tree in _test_modules().items():
        for node in ast.walk(tree):
            imported = node.module if isinstance(node, ast.ImportFrom) else None
            if imported and imported.split(".")[-1].startswith("test_"):
                found.append(f"{name} imports {imported}")
    assert found == []


def test_no_parametrised_argument_takes_the_name_of_playwrights_page():
    """A test with an argument named `page` becomes a browser test for pytest-playwright."""
    found = []
    for name, tree in _test_modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "parametrize":
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and "page" in [
                    part.strip() for part in str(first.value).split(",")
                ]:
                    found.append(name)
    assert found == []
