"""The direction of imports between our apps (DESIGN.md, "Direction of imports").

cms may import every app; learning only credentials; mentoring learning and credentials;
credentials none of the others. Every module counts, migrations too, and so do imports inside
functions.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = frozenset({"cms", "learning", "mentoring", "credentials"})


def imports_outside(app_dir: Path, allowed: set[str]) -> list[str]:
    """Each import in the app's modules of one of our other apps that is not in ``allowed``."""
    app = app_dir.name
    found = []
    for path in sorted(app_dir.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue  # relative imports stay inside the app
            for module in modules:
                top = module.split(".")[0]
                if top in OUR_APPS and top != app and top not in allowed:
                    found.append(f"{path.relative_to(app_dir.parent)}:{node.lineno} {module}")
    return found


def test_learning_imports_no_app_of_ours_but_credentials():
    assert imports_outside(ROOT / "learning", {"credentials"}) == []


def test_mentoring_imports_no_app_of_ours_but_learning_and_credentials():
    assert imports_outside(ROOT / "mentoring", {"learning", "credentials"}) == []


def test_credentials_imports_no_other_app_of_ours():
    assert imports_outside(ROOT / "credentials", set()) == []


def test_the_check_sees_imports_in_functions_and_migrations(tmp_path):
    app = tmp_path / "learning"
    (app / "migrations").mkdir(parents=True)
    (app / "demo.py").write_text("def seed():\n    from cms import roles\n")
    (app / "migrations" / "0001_initial.py").write_text("import mentoring.timezones\n")
    assert imports_outside(app, {"credentials"}) == [
        "learning/demo.py:2 cms",
        "learning/migrations/0001_initial.py:1 mentoring.timezones",
    ]
