"""The Celery app, configured from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

app = Celery("cocreate")
app.config_from_object("django.conf:settings", namespace="CELERY")


def use_memory_broker_when_eager(sender: Celery, **kwargs) -> None:
    """With no broker (``make run``: tasks run eagerly in-process), name kombu's in-memory one,
    with a host (the test settings' bare ``memory://`` gets one too).

    Celery 5.5+ acquires a producer even for an eager task; with no broker URL that is an AMQP
    connection to no host, and kombu logs "No hostname was supplied. Reverting to default
    'localhost'" on the first task sent (a bare ``memory://`` too: it names no host either).
    Nothing is ever sent over it.
    """
    if sender.conf.task_always_eager and sender.conf.broker_url in (None, "", "memory://"):
        sender.conf.broker_url = "memory://localhost/"


app.on_after_configure.connect(use_memory_broker_when_eager, weak=False)
app.autodiscover_tasks()
