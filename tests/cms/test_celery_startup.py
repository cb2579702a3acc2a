"""Start-up under `make run` (no broker, eager tasks) logs no kombu warning.

Celery takes a producer even for an eager task; with no broker URL, kombu logged "No hostname
was supplied. Reverting to default 'localhost'" at the first task `make run` sent.
"""

from tests.cms.test_settings import run

SEND_AN_EAGER_TASK = (
    "import django; django.setup(); from cms.celery import app; {before}"
    "\nwith app.producer_or_acquire() as producer: pass"
    "\nprint(app.conf.task_always_eager)"
)


def test_make_run_sends_eager_tasks_without_a_kombu_warning():
    result = run(["-c", SEND_AN_EAGER_TASK.format(before="")], "cms.settings.dev")
    assert result.stdout.split() == ["True"], result.stderr
    assert "No hostname was supplied" not in result.stderr
    assert "kombu" not in result.stderr


def test_with_no_broker_url_kombu_warns():
    # The warning the dev settings remove, so the test above proves something.
    before = "app.conf.broker_url = None"
    result = run(["-c", SEND_AN_EAGER_TASK.format(before=before)], "cms.settings.dev")
    assert "No hostname was supplied" in result.stderr


def test_a_broker_given_in_the_environment_is_used():
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER)"
    result = run(["-c", code], "cms.settings.dev", {"CELERY_BROKER_URL": "redis://r:6379/0"})
    assert result.stdout.split() == ["redis://r:6379/0", "False"]
