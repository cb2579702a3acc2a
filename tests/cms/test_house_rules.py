"""House rules a newcomer can rely on (docs/architecture.md): small modules, tasks only in
``tasks.py``, signal receivers only in ``receivers.py``, and every setting declared once."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from django.conf import global_settings

from lib.appsettings import AppSettings

ROOT = Path(__file__).resolve().parents[2]
CODE = ("cms", "partnerships", "learning", "mentoring", "credentials", "lib")
MAX_LINES = 500


def code_modules(*dirs: str):
    for name in dirs:
        for path in sorted((ROOT / name).rglob("*.py")):
            if "__pycache__" in path.parts or "migrations" in path.parts:
                continue
            yield path


def decorator_names(node: ast.AST) -> list[str]:
    names = []
    for decorator in getattr(node, "decorator_list", []):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        names.append(ast.unparse(target))
    return names


def misplaced(path: Path, root: Path = ROOT) -> list[str]:
    """Celery tasks outside tasks.py; signal receivers outside receivers.py (apps.py connects)."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(root)
    for node in ast.walk(tree):
        for name in decorator_names(node):
            if name.endswith(("shared_task", "app.task")) and path.name != "tasks.py":
                found.append(f"{rel}:{node.lineno} task")
            if name.split(".")[-1] == "receiver" and path.name != "receivers.py":
                found.append(f"{rel}:{node.lineno} receiver")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "connect"
            and path.name not in ("apps.py", "receivers.py")
        ):
            found.append(f"{rel}:{node.lineno} connect")
    return found


def settings_read(path: Path) -> list[tuple[int, str, str]]:
    """(line, how, NAME) for each ``settings.NAME``, ``getattr(settings, "NAME")`` and
    ``conf.NAME`` in a module."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in ("settings", "conf", "django_settings")
            and node.attr.isupper()
        ):
            found.append((node.lineno, node.value.id, node.attr))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr")
            and len(node.args) >= 2
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == "settings"
            and isinstance(node.args[1], ast.Constant)
        ):
            found.append((node.lineno, "getattr", str(node.args[1].value)))
    return found


def app_settings() -> dict[str, AppSettings]:
    """Each app's settings object (``<app>/conf.py``), by app."""
    found = {}
    for app in CODE:
        if (ROOT / app / "conf.py").exists():
            found[app] = importlib.import_module(f"{app}.conf").settings
    return found


def project_settings(files: str = "*.py") -> set[str]:
    """Names assigned at module level in cms/settings/ (all its files, or those matching)."""
    names = set()
    for path in (ROOT / "cms" / "settings").glob(files):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
            if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
    return names


def test_no_module_is_over_500_lines():
    long = {
        str(path.relative_to(ROOT)): count
        for path in code_modules(*CODE)
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_tasks_live_in_tasks_py_and_receivers_in_receivers_py():
    assert [found for path in code_modules(*CODE) for found in misplaced(path)] == []


def test_the_check_finds_a_task_and_a_receiver_out_of_place(tmp_path):
    module = tmp_path / "services.py"
    module.write_text(
        "from celery import shared_task\nfrom django.dispatch import receiver\n\n"
        "@shared_task(name='x')\ndef later():\n    pass\n\n"
        "@receiver(object)\ndef heard(**kw):\n    pass\n\nsignal.connect(heard)\n"
    )
    assert misplaced(module, root=tmp_path) == [
        "services.py:5 task",
        "services.py:9 receiver",
        "services.py:12 connect",
    ]


def test_every_setting_an_app_reads_is_declared_once():
    declared_by_app = {app: set(s.declared()) for app, s in app_settings().items()}
    project = project_settings()
    known = project | {name for name in dir(global_settings) if name.isupper()}
    problems = []
    for app in CODE:
        own = declared_by_app.get(app, set())
        others = set().union(*(v for k, v in declared_by_app.items() if k != app))
        for path in code_modules(app):
            rel = path.relative_to(ROOT)
            if path.name == "conf.py" or rel.parts[:2] == ("cms", "settings"):
                continue
            for line, how, name in settings_read(path):
                if how == "conf":
                    if name not in own:
                        problems.append(
                            f"{rel}:{line} conf.{name} is not declared in {app}/conf.py"
                        )
                elif name in own:
                    problems.append(f"{rel}:{line} reads {name} past {app}/conf.py")
                elif name in others:
                    problems.append(f"{rel}:{line} reads another app's setting {name}")
                elif name not in known:
                    problems.append(f"{rel}:{line} reads {name}, declared nowhere")
    assert problems == []


def test_app_settings_are_not_declared_again_in_the_project_settings():
    """base.py declares the project's settings; an environment's file (dev.py, test.py) may set
    an app's value, but its default and meaning live only in the app's conf.py."""
    project = project_settings("base.py")
    for app, declared in app_settings().items():
        assert set(declared.declared()) & project == set(), app


def test_reading_an_undeclared_setting_fails_loudly():
    from credentials.conf import settings as conf
    from lib.appsettings import UnknownSetting

    try:
        conf.VERIFY_FETCH_CACHE_SECONDZ  # noqa: B018 - the typo is the point
    except UnknownSetting as error:
        assert "credentials/conf.py" in str(error)
    else:
        raise AssertionError("an undeclared setting was read without an error")


def test_a_declared_setting_comes_from_django_then_the_environment_then_its_default(
    settings, monkeypatch
):
    from credentials.conf import settings as conf

    monkeypatch.delenv("VERIFY_TRUSTED_PROXIES", raising=False)
    assert conf.VERIFY_TRUSTED_PROXIES == 0
    monkeypatch.setenv("VERIFY_TRUSTED_PROXIES", "2")
    assert conf.VERIFY_TRUSTED_PROXIES == 2
    settings.VERIFY_TRUSTED_PROXIES = 3
    assert conf.VERIFY_TRUSTED_PROXIES == 3


def test_the_readme_lists_every_declared_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = "\n".join(line for line in readme.splitlines() if line.startswith("|"))
    listed = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", rows))
    missing = {
        f"{app}: {name}"
        for app, declared in app_settings().items()
        for name in declared.declared()
        if name not in listed
    }
    assert missing == set()


def fixtures_defined(tests_dir: Path) -> dict[str, list[str]]:
    """Every pytest fixture defined in the suite, by name: where each is defined."""
    found: dict[str, list[str]] = {}
    for path in sorted(tests_dir.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                "fixture" in name for name in decorator_names(node)
            ):
                found.setdefault(node.name, []).append(str(path.relative_to(tests_dir.parent)))
    return found


def test_each_fixture_name_has_one_meaning_across_the_suite():
    """A fixture name is defined once: ``badge`` or ``staff`` means the same thing in every
    test, and a test that needs something else names it (``founder_badge``, ``helix_staff``)."""
    twice = {
        name: where for name, where in fixtures_defined(ROOT / "tests").items() if len(where) > 1
    }
    assert twice == {}


def test_the_fixture_check_finds_a_name_defined_twice(tmp_path):
    (tmp_path / "tests" / "a").mkdir(parents=True)
    (tmp_path / "tests" / "a" / "conftest.py").write_text(
        "import pytest\n\n@pytest.fixture\ndef badge():\n    return 1\n"
    )
    (tmp_path / "tests" / "test_b.py").write_text(
        "import pytest\n\n@pytest.fixture()\ndef badge():\n    return 2\n"
    )
    assert fixtures_defined(tmp_path / "tests") == {
        "badge": ["tests/a/conftest.py", "tests/test_b.py"]
    }
