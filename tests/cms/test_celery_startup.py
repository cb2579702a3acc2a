"""Start-up under `make run` (no broker, eager tasks) logs no kombu warning."""

import logging

import pytest
from celery import Celery

from cms.celery import use_memory_broker_when_eager


def eager_app_without_broker(*, hooked: bool) -> Celery:
    app = Celery("probe", set_as_current=False)
    app.config_from_object({"task_always_eager": True, "broker_url": None})
    if hooked:
        app.on_after_configure.connect(use_memory_broker_when_eager, weak=False)

    @app.task(name="probe.add")
    def add(a, b):
        return a + b

    return app


def kombu_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("kombu")]


def test_an_eager_task_with_no_broker_logs_no_kombu_warning(caplog):
    app = eager_app_without_broker(hooked=True)
    with caplog.at_level(logging.WARNING, logger="kombu"):
        assert app.tasks["probe.add"].delay(2, 3).get() == 5
    assert kombu_warnings(caplog) == []


def test_without_the_hook_kombu_warns_about_the_missing_host(caplog):
    # The warning the hook removes, so the test above proves something.
    app = eager_app_without_broker(hooked=False)
    with caplog.at_level(logging.WARNING, logger="kombu"):
        app.tasks["probe.add"].delay(2, 3).get()
    assert any("No hostname was supplied" in m for m in kombu_warnings(caplog))


def test_a_configured_broker_is_left_alone():
    app = Celery("probe", set_as_current=False)
    app.config_from_object({"task_always_eager": False, "broker_url": "redis://broker:6379/0"})
    app.on_after_configure.connect(use_memory_broker_when_eager, weak=False)
    assert app.conf.broker_url == "redis://broker:6379/0"


@pytest.mark.django_db
def test_the_project_app_sends_eager_tasks_without_a_kombu_warning(caplog):
    from cms.tasks import ping

    with caplog.at_level(logging.WARNING, logger="kombu"):
        ping.delay("nonce")
    assert kombu_warnings(caplog) == []
