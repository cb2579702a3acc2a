"""The direction of imports: between our apps, between the layers of ``credentials``, and no
import cycle inside any app (docs/architecture.md, "Layers and arrows").

Every module counts, migrations too, and so do imports inside functions: an import hidden in a
function is still an arrow.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = frozenset({"cms", "partnerships", "learning", "mentoring", "credentials"})
OURS = OUR_APPS | {"lib"}

# Which layer of ``credentials`` may import which. A module's layer is its sub-package
# (``credentials/verify/engine.py`` → ``verify``) or, for a top-level module, its name.
CREDENTIALS_ARROWS: dict[str, frozenset[str]] = {
    "standards": frozenset(),
    "models": frozenset({"standards", "conf"}),
    "signals": frozenset(),
    "conf": frozenset(),
    "checks": frozenset({"conf"}),  # system checks (check --deploy) read settings only
    "frameworks": frozenset(),
    "issuing": frozenset({"standards", "models", "conf"}),
    "verify": frozenset({"standards"}),
    "services": frozenset({"issuing", "standards", "verify", "models", "signals", "conf"}),
    "receivers": frozenset({"services", "issuing", "verify", "models", "tasks", "conf"}),
    "tasks": frozenset({"services", "issuing", "models"}),
    "web": frozenset({"services", "issuing", "verify", "standards", "models", "conf"}),
    "wagtail_hooks": frozenset({"services", "models"}),
    "templatetags": frozenset({"standards"}),
    "management": frozenset({"services", "issuing", "models"}),
    "apps": frozenset({"receivers", "signals", "models", "conf", "checks"}),
    "migrations": frozenset({"models", "frameworks"}),
}
# The site adapter is the one module of the verifier that reads our database: it answers the
# verifier's questions ("is this issuer ours?", "is this award revoked?") from our records.
SITE_ADAPTER = "credentials/verify/site.py"
SITE_ADAPTER_ARROWS = frozenset({"standards", "issuing", "models", "conf"})
# What other apps may import of credentials: the door (services) and the models.
CREDENTIALS_DOORS = ("credentials.services", "credentials.models")


def modules(app_dir: Path) -> Iterator[Path]:
    for path in sorted(app_dir.rglob("*.py")):
        if "__pycache__" not in path.parts:
            yield path


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(path: Path, root: Path) -> Iterator[tuple[int, str]]:
    """Each module (absolute dotted name) that ``path`` imports, with the line; relative imports
    resolved, and ``from package import module`` counted as importing that module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path, root)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                as_file = root / Path(*candidate.split("."))
                if as_file.with_suffix(".py").exists() or (as_file / "__init__.py").exists():
                    yield node.lineno, candidate
                else:
                    yield node.lineno, target


def imports_outside(app_dir: Path, allowed: set[str]) -> list[str]:
    """Each import in the app's modules of one of our other apps that is not in ``allowed``."""
    app, root = app_dir.name, app_dir.parent
    found = []
    for path in modules(app_dir):
        for line, module in imported(path, root):
            top = module.split(".")[0]
            if top in OUR_APPS and top != app and top not in allowed:
                found.append(f"{path.relative_to(root)}:{line} {module}")
    return found


def layer_of(path: Path, app_dir: Path) -> str:
    return path.relative_to(app_dir).with_suffix("").parts[0]


def forbidden_arrows(app_dir: Path, arrows: dict[str, frozenset[str]]) -> list[str]:
    """Each import between two layers of ``app_dir`` that ``arrows`` does not allow."""
    app, root = app_dir.name, app_dir.parent
    found = []
    for path in modules(app_dir):
        rel = str(path.relative_to(root))
        source = layer_of(path, app_dir)
        if source == "__init__":
            continue
        allowed = SITE_ADAPTER_ARROWS if rel == SITE_ADAPTER else arrows.get(source, frozenset())
        for line, module in imported(path, root):
            parts = module.split(".")
            if parts[0] != app or len(parts) < 2:
                continue
            target = parts[1]
            if target != source and target not in allowed:
                found.append(f"{rel}:{line} {source} → {target} ({module})")
    return found


def imports_of_framework(app_dir: Path, frameworks: Iterable[str]) -> list[str]:
    found = []
    for path in modules(app_dir):
        for line, module in imported(path, app_dir.parents[1]):
            if module.split(".")[0] in frameworks:
                found.append(f"{path.relative_to(app_dir.parents[1])}:{line} {module}")
    return found


def cycles(app_dir: Path) -> list[list[str]]:
    """Every import cycle between the modules of one app (strongly connected components of
    more than one module, or a module importing itself), imports inside functions included."""
    root = app_dir.parent
    names = {module_name(path, root): path for path in modules(app_dir)}
    graph: dict[str, set[str]] = {name: set() for name in names}
    for name, path in names.items():
        for _, module in imported(path, root):
            if module in names and module != name:
                graph[name].add(module)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


# --- between apps -------------------------------------------------------------------------


def test_learning_imports_no_app_of_ours_but_credentials():
    assert imports_outside(ROOT / "learning", {"credentials"}) == []


def test_mentoring_imports_no_app_of_ours_but_learning_and_credentials():
    assert imports_outside(ROOT / "mentoring", {"learning", "credentials"}) == []


def test_partnerships_import_no_app_of_ours_but_learning_mentoring_and_credentials():
    assert imports_outside(ROOT / "partnerships", {"learning", "mentoring", "credentials"}) == []


def test_credentials_imports_no_other_app_of_ours():
    assert imports_outside(ROOT / "credentials", set()) == []


def test_lib_imports_no_app_of_ours():
    assert imports_outside(ROOT / "lib", set()) == []
    assert [m for m in imports_of_framework(ROOT / "lib", OUR_APPS)] == []


def test_other_apps_reach_credentials_only_through_services_and_models():
    found = []
    for app in ("cms", "partnerships", "learning", "mentoring"):
        for path in modules(ROOT / app):
            for line, module in imported(path, ROOT):
                if module.split(".")[0] == "credentials" and not module.startswith(
                    CREDENTIALS_DOORS
                ):
                    found.append(f"{path.relative_to(ROOT)}:{line} {module}")
    assert found == []


# --- inside credentials -------------------------------------------------------------------


def test_every_module_of_credentials_is_in_a_known_layer():
    layers = {layer_of(path, ROOT / "credentials") for path in modules(ROOT / "credentials")}
    assert layers - {"__init__"} <= set(CREDENTIALS_ARROWS)


def test_credentials_layers_point_only_down():
    assert forbidden_arrows(ROOT / "credentials", CREDENTIALS_ARROWS) == []


def test_standards_import_no_django_and_nothing_of_ours():
    standards = ROOT / "credentials" / "standards"
    assert (
        imports_of_framework(standards, {"django", "wagtail", "celery", *OURS - {"credentials"}})
        == []
    )
    ours = imports_of_framework(standards, {"credentials"})
    assert [found for found in ours if " credentials.standards" not in found] == []


def test_the_verifier_touches_django_only_through_its_site_adapter():
    found = [
        f
        for f in imports_of_framework(ROOT / "credentials" / "verify", {"django", "wagtail"})
        if not f.startswith(SITE_ADAPTER)
    ]
    assert found == []


def test_no_app_has_an_import_cycle():
    for app in sorted(OURS):
        assert cycles(ROOT / app) == [], app


# --- the checks themselves ---------------------------------------------------------------


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_check_sees_imports_in_functions_and_migrations(tmp_path):
    app = tmp_path / "learning"
    write(
        app,
        {
            "__init__.py": "",
            "demo.py": "def seed():\n    from cms import roles\n",
            "migrations/0001_initial.py": "import mentoring.timezones\n",
        },
    )
    assert imports_outside(app, {"credentials"}) == [
        "learning/demo.py:2 cms",
        "learning/migrations/0001_initial.py:1 mentoring.timezones",
    ]


def test_a_forbidden_arrow_between_layers_fails(tmp_path):
    app = tmp_path / "credentials"
    write(
        app,
        {
            "__init__.py": "",
            "models.py": "",
            "standards/__init__.py": "",
            "standards/keys.py": "def load():\n    from credentials.issuing import keystore\n",
            "issuing/__init__.py": "",
            "issuing/keystore.py": "from credentials.standards import keys\n",
            "services/__init__.py": "",
            "services/awards.py": "from credentials import tasks\n",
            "tasks.py": "from ..services import awards\n",
            "verify/__init__.py": "",
            "verify/engine.py": "from . import site\nfrom credentials.models import Award\n",
            "verify/site.py": "from credentials.models import Award\n",
        },
    )
    assert forbidden_arrows(app, CREDENTIALS_ARROWS) == [
        "credentials/services/awards.py:1 services → tasks (credentials.tasks)",
        "credentials/standards/keys.py:2 standards → issuing (credentials.issuing.keystore)",
        "credentials/verify/engine.py:2 verify → models (credentials.models)",
    ]


def test_a_cycle_through_an_import_inside_a_function_fails(tmp_path):
    app = tmp_path / "credentials"
    write(
        app,
        {
            "__init__.py": "",
            "services/__init__.py": "",
            "services/awards.py": "def later():\n    from credentials import tasks\n",
            "tasks.py": "from credentials.services import awards\n",
            "models.py": "",
        },
    )
    assert cycles(app) == [["credentials.services.awards", "credentials.tasks"]]


def test_django_in_standards_fails(tmp_path):
    standards = tmp_path / "credentials" / "standards"
    write(standards, {"__init__.py": "", "keys.py": "from django.conf import settings\n"})
    assert imports_of_framework(standards, {"django"}) == [
        "credentials/standards/keys.py:1 django.conf"
    ]
