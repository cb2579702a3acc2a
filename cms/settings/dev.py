"""Local development: SQLite file, eager Celery, console e-mail. Used by `make run`."""

from .base import *  # noqa: F403
from .base import LOGGING, env

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me-for-anything-public")

# E-mails (award notices, invitations with .ics, password resets) land as files in var/mail/.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")

# Keep `make run` readable: routine notices from the apps stay out of the console.
LOGGING["loggers"].update(
    {app: {"level": "WARNING"} for app in ("credentials", "learning", "mentoring")}
)
