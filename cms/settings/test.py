"""Settings for the test suite: fast hashing, in-memory e-mail, eager Celery."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "memory://")
CELERY_RESULT_BACKEND = None
SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = SITE_URL
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
MENTORING_DUE_WORK_IN_PROCESS = False  # not even from a shell variable: no beat thread
# seed_demo and the demo re-signing run with DEBUG off here (credentials/conf.py).
DEMO_DATA_ALLOWED = True
