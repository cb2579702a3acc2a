"""System checks of the credentials app (``manage.py check --deploy``).

Issuers' private signing keys are encrypted with ``CREDENTIALS_KEY_SECRET``. Without it the
secret is derived from ``SECRET_KEY`` — fine for ``make run``, wrong in production: whoever
learns ``SECRET_KEY`` could then decrypt every signing key, and rotating ``SECRET_KEY`` would
need the old one kept as a fallback for the keys to stay readable.
"""

from django.conf import settings as django_settings
from django.core import checks

from credentials.conf import settings as conf

MIN_KEY_SECRET_LENGTH = 32
HINT = (
    "Export CREDENTIALS_KEY_SECRET as 50+ random characters, different from SECRET_KEY "
    "(python -c 'import secrets; print(secrets.token_urlsafe(50))'); keys made under the old "
    "secret stay readable, then run `manage.py rotate_keys --reencrypt`."
)


@checks.register("credentials", deploy=True)
def check_key_secret(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """With DEBUG off, CREDENTIALS_KEY_SECRET must be set, its own, and long enough."""
    if django_settings.DEBUG:
        return []
    secret = conf.CREDENTIALS_KEY_SECRET or ""
    secret_keys = {
        django_settings.SECRET_KEY,
        *getattr(django_settings, "SECRET_KEY_FALLBACKS", []),
    }
    if not secret:
        problem, code = "CREDENTIALS_KEY_SECRET is not set (it would be derived from SECRET_KEY)", 1
    elif secret in secret_keys:
        problem, code = "CREDENTIALS_KEY_SECRET is the same as SECRET_KEY", 2
    elif len(secret) < MIN_KEY_SECRET_LENGTH:
        problem, code = (
            f"CREDENTIALS_KEY_SECRET is shorter than {MIN_KEY_SECRET_LENGTH} characters",
            3,
        )
    else:
        return []
    return [checks.Error(f"{problem}.", hint=HINT, id=f"credentials.E00{code}")]
