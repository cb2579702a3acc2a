"""Local development: SQLite file, eager Celery, console e-mail. Used by `make run`."""

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, CELERY_TASK_ALWAYS_EAGER, LOGGING, MIDDLEWARE, env, env_bool

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me-for-anything-public")

# E-mails (award notices, invitations with .ics, password resets) land as files in var/mail/.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")

# No broker here: a bulk award runs in a thread, so its page shows progress (see base.py).
BULK_AWARD_THREAD_WHEN_EAGER = env_bool("BULK_AWARD_THREAD_WHEN_EAGER", True)
# No beat here either: due session reminders and feedback requests go out from a thread of
# runserver, every minute (mentoring/conf.py).
MENTORING_DUE_WORK_IN_PROCESS = env_bool("MENTORING_DUE_WORK_IN_PROCESS", True)

# Keep `make run` readable: routine notices from the apps stay out of the console.
LOGGING["loggers"].update(
    {app: {"level": "WARNING"} for app in ("credentials", "learning", "mentoring")}
)

# The demo's issuer staff (cms/demo.py) act without a second factor under `make run` only; the
# issuer pages say so. A system check refuses this when DEBUG is off (credentials/conf.py).
ISSUER_MFA_DEMO_EXEMPT = ["staff@northbridge.example", "partner@helix.example"]

# A visitor who asks for a missing page meets our 404 page, not Django's debug page listing
# every URL pattern (cms/dev_errors.py). Server errors keep the debug page, for the developer.
MIDDLEWARE = [*MIDDLEWARE, "cms.dev_errors.SiteNotFoundMiddleware"]

# No broker here: tasks run eagerly in-process. Celery still takes a producer for each, and with
# no broker URL kombu logs "No hostname was supplied" at the first: name its in-memory transport,
# with a host (a bare memory:// names none either). Nothing is ever sent over it.
if CELERY_TASK_ALWAYS_EAGER and not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://localhost/"
