"""`make run` serves where PORT says and writes addresses there; `make screenshots` saves pages.

Read from `make -n` (what make would run), so nothing is installed or started.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def dry_run(target: str, **env: str) -> list[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("PORT", "SITE_URL")}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", target],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    # One line per command: continuation lines joined.
    return result.stdout.replace("\\\n", " ").splitlines()


def command(lines: list[str], wanted: str) -> str:
    found = [line for line in lines if wanted in line]
    assert len(found) == 1, lines
    return found[0]


def test_make_run_serves_on_port_and_writes_addresses_there():
    lines = dry_run("run", PORT="8101")
    assert command(lines, "runserver").endswith("runserver 127.0.0.1:8101")
    assert 'SITE_URL="http://127.0.0.1:8101"' in command(lines, "runserver")
    assert 'SITE_URL="http://127.0.0.1:8101"' in command(lines, "seed_demo")


def test_make_run_defaults_to_port_8000():
    lines = dry_run("run")
    assert command(lines, "runserver").endswith("runserver 127.0.0.1:8000")
    assert 'SITE_URL="http://127.0.0.1:8000"' in command(lines, "seed_demo")


def test_a_site_url_given_by_hand_wins_over_the_port():
    lines = dry_run("run", PORT="8101", SITE_URL="https://academy.example.org")
    assert command(lines, "runserver").endswith("runserver 127.0.0.1:8101")
    assert 'SITE_URL="https://academy.example.org"' in command(lines, "seed_demo")


def test_make_screenshots_runs_the_browser_journeys_into_an_ignored_folder():
    lines = dry_run("screenshots")
    run = command(lines, "bin/pytest")
    assert f'SCREENSHOTS_DIR="{ROOT}/var/screenshots"' in run
    assert "-m browser" in run and run.endswith(" tests/browser")
    assert "mkdir -p var/screenshots" in command(lines, "mkdir -p var/screenshots")
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "var/screenshots/learner-390.png"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0
