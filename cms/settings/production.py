"""Production: PostgreSQL, Redis-backed Celery, SMTP, HTTPS only, static files via whitenoise.

Refuses to start without SECRET_KEY or CREDENTIALS_KEY_SECRET; passes `manage.py check
--deploy` with no warnings only when the key secret is its own 32+ characters
(credentials/checks.py).
SECRET_KEY_FALLBACKS (base.py) lists older SECRET_KEYs while rotating.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production refuses to start without it: "
        "export SECRET_KEY to 50+ random characters (python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))')."
    )

if not env("CREDENTIALS_KEY_SECRET"):
    # Never fall back to SECRET_KEY here: rotating it would leave every signing key unreadable.
    raise ImproperlyConfigured(
        "CREDENTIALS_KEY_SECRET is not set. Production refuses to start without it: it "
        "encrypts the issuers' signing keys. Export 32+ random characters, kept apart from "
        "SECRET_KEY (python -c 'import secrets; print(secrets.token_urlsafe(48))')."
    )

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000") or 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Speed (README "Production" lists each of these with its default) ------------------------
# Persistent database connections: opening a PostgreSQL connection (TCP, authentication, a new
# backend process) costs more than most pages' queries. Each gunicorn worker thread and each
# Celery process keeps its connection for DATABASE_CONN_MAX_AGE seconds (0: one per request),
# and checks it before reusing it, so a connection the server dropped is replaced instead of
# failing a request. The server's max_connections must cover every process that holds one.
DATABASES["default"]["CONN_MAX_AGE"] = int(env("DATABASE_CONN_MAX_AGE", "60") or 0)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Sessions stay in the database alone (not "cached_db"): deleting a person's session rows signs
# them out everywhere at once (cms.account_data), which a cached copy in Redis would outlive.
# Reading one costs a primary-key query per signed-in request.

# Templates are compiled once per process: Django wraps the loaders in its cached loader when
# none are configured (TEMPLATES in base.py); a test checks that it stays so.
