"""System checks of the mentoring app (``manage.py check --deploy``).

``MENTORING_DUE_WORK_IN_PROCESS`` runs beat's mentoring work in a thread of each web process. It
is meant for ``make run`` (DEBUG on), where no Celery beat runs. With DEBUG off it is almost
certainly a stray environment variable: every gunicorn worker then starts its own thread beside
the real beat. Each reminder is still sent once, but the threads are unexpected work.
"""

from django.conf import settings as django_settings
from django.core import checks

from mentoring.conf import settings as conf


@checks.register("mentoring", deploy=True)
def check_due_work_in_process(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """With DEBUG off, due work belongs to Celery beat, not to a thread of the web process."""
    if django_settings.DEBUG or not conf.MENTORING_DUE_WORK_IN_PROCESS:
        return []
    return [
        checks.Warning(
            "MENTORING_DUE_WORK_IN_PROCESS is on with DEBUG off: every web process starts a "
            "thread that sends due reminders and feedback requests beside Celery beat.",
            hint="Unset MENTORING_DUE_WORK_IN_PROCESS (it belongs to `make run` only) and run "
            "Celery beat.",
            id="mentoring.W001",
        )
    ]
