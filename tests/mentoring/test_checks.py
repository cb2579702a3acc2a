"""mentoring/checks.py: the in-process beat is for `make run`; with DEBUG off `check --deploy`
warns about it. The test settings keep it off even when a developer's shell turns it on."""

import os
import subprocess
import sys
from pathlib import Path

from django.core import checks

from mentoring.checks import check_due_work_in_process
from mentoring.conf import settings as conf


def test_the_in_process_beat_with_debug_off_is_a_deploy_warning(settings):
    settings.DEBUG = False
    settings.MENTORING_DUE_WORK_IN_PROCESS = True
    [warning] = check_due_work_in_process()
    assert warning.id == "mentoring.W001" and warning.level == checks.WARNING
    assert "MENTORING_DUE_WORK_IN_PROCESS" in warning.msg


def test_make_run_and_production_without_it_pass(settings):
    settings.DEBUG = True
    settings.MENTORING_DUE_WORK_IN_PROCESS = True
    assert check_due_work_in_process() == []
    settings.DEBUG = False
    settings.MENTORING_DUE_WORK_IN_PROCESS = False
    assert check_due_work_in_process() == []


def test_a_stray_environment_variable_in_production_is_caught(settings, monkeypatch):
    settings.DEBUG = False
    del settings.MENTORING_DUE_WORK_IN_PROCESS  # as in production: only the environment says
    monkeypatch.setenv("MENTORING_DUE_WORK_IN_PROCESS", "1")
    assert [w.id for w in check_due_work_in_process()] == ["mentoring.W001"]


ROOT = Path(__file__).resolve().parents[2]
REGISTERED = """
import django
django.setup()
from django.core.checks import registry
print(sorted({check.__module__ for check in registry.registry.get_checks(True)}))
"""


def test_the_app_registers_the_check_at_start_up():
    """Not only when a test imports it: `manage.py check --deploy` must see it."""
    found = subprocess.run(
        [sys.executable, "-c", REGISTERED],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "'mentoring.checks'" in found


def test_the_check_runs_only_with_deploy():
    registered = checks.registry.registry
    assert check_due_work_in_process in registered.get_checks(include_deployment_checks=True)
    assert check_due_work_in_process not in registered.get_checks(include_deployment_checks=False)
    assert "mentoring" in check_due_work_in_process.tags


def test_the_test_settings_ignore_a_developers_shell_variable(monkeypatch):
    monkeypatch.setenv("MENTORING_DUE_WORK_IN_PROCESS", "1")
    assert conf.MENTORING_DUE_WORK_IN_PROCESS is False  # no beat thread in browser tests
