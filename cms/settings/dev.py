"""Local development: SQLite file, eager Celery, console e-mail. Used by `make run`."""

from .base import *  # noqa: F403
from .base import env

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me-for-anything-public")
