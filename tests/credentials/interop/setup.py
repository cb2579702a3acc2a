"""Install the independent verifiers the interop tests run, once, into gitignored caches.

* ``.venv-ob2validator/``: 1EdTech's Open Badges 2.0 validator (PyPI ``openbadges`` 1.1.2) in
  its own virtualenv — it pins libraries from 2017 that cannot live in the project's venv.
* ``.node-verifier/``: Digital Bazaar's Verifiable Credentials libraries (npm) that the
  Node script ``ob3_verify.mjs`` uses to verify OB 3.0 credentials.

A stamp file records what was installed; a changed pin reinstalls. Used by the interop tests
(which call ``ensure_*``) and by ``make interop-deps``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
OB2_VENV = ROOT / ".venv-ob2validator"
OB2_PINS = ["openbadges==1.1.2"]
# openbadges pins pycryptodome 3.6.6, whose sources still need 2to3 (gone from setuptools):
# it installs but cannot be imported on Python 3. A current pycryptodome keeps the same API.
OB2_OVERRIDES = ["pycryptodome==3.23.0"]
NODE_DIR = ROOT / ".node-verifier"


class SetupError(RuntimeError):
    pass


def _run(command: list[str], **kwargs) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)  # noqa: S603
    if result.returncode != 0:
        raise SetupError(
            f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )


def ob2_python() -> Path:
    return OB2_VENV / "bin" / "python"


def ensure_ob2_validator() -> Path:
    stamp = OB2_VENV / ".installed"
    wanted = json.dumps(OB2_PINS + OB2_OVERRIDES)
    if stamp.exists() and stamp.read_text() == wanted and ob2_python().exists():
        return ob2_python()
    shutil.rmtree(OB2_VENV, ignore_errors=True)
    _run([sys.executable, "-m", "venv", str(OB2_VENV)])
    _run([str(ob2_python()), "-m", "pip", "install", "--quiet", *OB2_PINS])
    _run([str(ob2_python()), "-m", "pip", "install", "--quiet", "--no-deps", *OB2_OVERRIDES])
    stamp.write_text(wanted)
    return ob2_python()


def node() -> str:
    found = shutil.which("node")
    if not found:
        raise SetupError("node is not installed (Debian package nodejs)")
    return found


def ensure_node_verifier() -> Path:
    """Install the npm packages (once) and copy the script beside them; returns the script.

    The script is copied because Node resolves ES module imports from the script's folder.
    """
    package = (HERE / "package.json").read_text()
    stamp = NODE_DIR / ".installed"
    script = NODE_DIR / "ob3_verify.mjs"
    if stamp.exists() and stamp.read_text() == package and (NODE_DIR / "node_modules").exists():
        script.write_text((HERE / "ob3_verify.mjs").read_text())
        return script
    npm = shutil.which("npm")
    if not npm:
        raise SetupError("npm is not installed (Debian package npm)")
    NODE_DIR.mkdir(exist_ok=True)
    (NODE_DIR / "package.json").write_text(package)
    _run(
        [npm, "install", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=NODE_DIR,
        env={**os.environ},
    )
    stamp.write_text(package)
    script.write_text((HERE / "ob3_verify.mjs").read_text())
    return script


def ensure_node_package(name: str) -> Path:
    """Install the npm client ``tests/credentials/interop/<name>/`` (its package.json and
    scripts) once into ``.node-<name>/``; returns that folder, scripts copied beside
    node_modules (Node resolves ES module imports from the script's folder)."""
    source = HERE / name
    package = (source / "package.json").read_text()
    target = ROOT / f".node-{name}"
    stamp = target / ".installed"
    if not (stamp.exists() and stamp.read_text() == package and (target / "node_modules").exists()):
        npm = shutil.which("npm")
        if not npm:
            raise SetupError("npm is not installed (Debian package npm)")
        target.mkdir(exist_ok=True)
        (target / "package.json").write_text(package)
        _run(
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=target,
            env={**os.environ},
        )
        stamp.write_text(package)
    for script in source.glob("*.mjs"):
        (target / script.name).write_text(script.read_text())
    return target


if __name__ == "__main__":
    print("OB 2.0 validator:", ensure_ob2_validator())
    print("OB 3.0 Node verifier:", ensure_node_verifier())
