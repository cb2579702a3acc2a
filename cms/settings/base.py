"""Settings shared by every environment, configured from the environment.

Every value that differs between a laptop and production is read from an environment
variable here; ``dev``, ``test`` and ``production`` only change defaults.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY")
# Older SECRET_KEYs, comma-separated: sessions and password-reset links survive a rotation.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public origin used to build absolute URLs (badge JSON-LD, e-mails, calendar feeds).
SITE_URL = (env("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = "Co-Create Academy"

INSTALLED_APPS = [
    "cms",
    "learning",
    "mentoring",
    "credentials",
    "partnerships",
    # Content in nine languages: a page tree per language, synchronised from English (aliases
    # until translated), a translator's editor and PO export/import in the admin.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Accounts: django-allauth (e-mail login and verification, rate limits, enumeration-safe
    # sign-up and reset), its MFA (TOTP, passkeys, recovery codes) and OpenID Connect sign-in.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "csp",
    # django-ninja's templates and static files: the API docs use the bundled Swagger UI and
    # ReDoc instead of a CDN.
    "ninja",
    # The OB 3.0 and CLR 2.0 APIs' OAuth 2.0 server (applications, grants, tokens).
    "oauth2_provider",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Both admins and allauth's authenticator pages need a second factor in the session.
    "cms.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.csp.PathCSPMiddleware",
    "cms.middleware.UserTimezoneMiddleware",
    # After sign-in is known: the account's language, else the browser's (cms/i18n.py).
    "cms.i18n.PreferredLanguageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: stored anonymous catalogue and course pages, before routing (cms/pagecache.py).
    "cms.pagecache.EarlyPageCacheMiddleware",
]

# Content-Security-Policy (django-csp 4): nothing inline, nothing from another origin. Scripts
# and styles come only from our static files; images may be data: URLs (QR codes, the TOTP QR
# code) or blob: URLs (the badge form previews the image file being uploaded). Sign-in with an
# identity provider POSTs to us and is redirected to the provider, and browsers hold that
# redirect to form-action: cms/csp.py adds the configured providers' origins there. Under
# /admin/ and /django-admin/ only, scripts may also be inline (Wagtail's own) and our admin may
# frame a page (Wagtail's preview): cms/csp.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        # Our own pages (Wagtail's live preview) and, in lessons, a video site's player
        # (learning.blocks.EMBED_ORIGINS, kept in step by a test).
        "frame-src": [
            "'self'",
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
# No Gravatar avatars in Wagtail's admin: images from gravatar.com would break the policy (and
# tell Gravatar who edits here).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0") or 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (the site, Celery workers) write to one file: take the write lock when
    # a transaction begins, so "read, then write" inside atomic() cannot interleave, wait for
    # the lock instead of failing, and let readers go on while one process writes (WAL).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("transaction_mode", "IMMEDIATE")
    _options.setdefault("timeout", 30)
    _options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cms.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "learning:dashboard"  # cms.accounts.home_for picks per role
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("fi", "Suomi"),
]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
# The interface's translations (`make messages` extracts, the install step compiles them).
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: Django refuses request bodies larger than this before parsing them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail: EMAIL_BACKEND picks the transport; SMTP reads the usual settings.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Co-Create Academy <no-reply@cocreate.example>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker configured, tasks run eagerly in-process (make run needs no server).
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {}

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            # A Redis that stops answering costs a request two seconds, not a hung worker: the
            # page cache then answers from the view (lib/pagecache.py).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        if env("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv", "zip"]
WAGTAILDOCS_EXTENSIONS += ["webm", "mp4", "m4v", "vtt"]  # lesson videos and their captions
WAGTAIL_ENABLE_UPDATE_CHECK = False
# One way to change an address or reset a password: allauth's (verified, rate limited).
# Wagtail's own account form would set User.email unverified, and awards follow User.email.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAILADMIN_AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "login"
WAGTAILADMIN_LOGIN_URL = "account_login"  # verification and rate limits apply to editors too

# Accounts (django-allauth): sign in with an e-mail address, which must be verified before the
# account is used; sign-up and password reset never say whether an address has an account;
# failed logins, sign-ups, resets and confirmation e-mails are rate limited (allauth defaults).
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Co-Create Academy] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
# Our sign-up fields (name, time zone, language), the learner role and local-only redirects.
ACCOUNT_ADAPTER = "cms.accounts.AccountAdapter"
ACCOUNT_FORMS = {"signup": "cms.forms.SignUpForm", "login": "cms.forms.LoginForm"}
ACCOUNT_SIGNUP_REDIRECT_URL = "learning:dashboard"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = WAGTAIL_SITE_NAME
SOCIALACCOUNT_ONLY = False

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "celery": {"level": "WARNING"},
    },
}

# Mentoring: Celery beat sends the 24-hour and 1-hour session reminders that are due, each once.
CELERY_BEAT_SCHEDULE["mentoring-send-due-reminders"] = {
    "task": "mentoring.send_due_reminders",
    "schedule": 60.0,
}
# …and asks each learner once to rate a session that ended (mentoring.notifications).
CELERY_BEAT_SCHEDULE["mentoring-send-feedback-requests"] = {
    "task": "mentoring.send_feedback_requests",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["mentoring-send-pending-invitations"] = {
    "task": "mentoring.send_pending_invitations",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["credentials-send-overdue-award-emails"] = {
    "task": "credentials.send_overdue_award_emails",
    "schedule": 600.0,
}
# Our verdicts on imported credentials expire (IMPORT_VERDICT_MAX_AGE_SECONDS): what public
# profiles show is checked again well before, so a revocation reaches a profile within hours.
CELERY_BEAT_SCHEDULE["credentials-recheck-public-imports"] = {
    "task": "credentials.recheck_public_imports",
    "schedule": 6 * 3600.0,
}
# Catching up after the task queue (Redis) was down when awards were made, or a worker was lost
# mid bulk award: sign and bake awards left unbaked, queue a stalled bulk award's chunks again.
CELERY_BEAT_SCHEDULE["credentials-bake-overdue-awards"] = {
    "task": "credentials.bake_overdue_awards",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["credentials-resume-stalled-bulk-awards"] = {
    "task": "credentials.resume_stalled_bulk_awards",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["credentials-prune-bulk-uploads"] = {
    "task": "credentials.prune_bulk_uploads",
    "schedule": 6 * 3600.0,
}
# The credentials app's own settings (key secrets, bulk awards, the verifier) are declared
# with their defaults in credentials/conf.py; set any of them here or in the environment.

# --- Sign in with your university (cms/sso) -------------------------------------------------
# OIDC_PROVIDERS and SAML_PROVIDERS each hold a JSON list of identity providers (README: "Sign
# in with your university"); a bad value stops start-up. A provider's word verifies an address
# only inside its email_domains (cms.sso.adapter), and never joins an existing account by a
# matching address. OpenID Connect runs through cms.sso.provider, which always checks the ID
# token's signature against the provider's JWKS, its issuer, audience, expiry and nonce.
from cms.sso.config import provider_apps, sign_in_origins  # noqa: E402

_oidc_apps, _saml_apps = provider_apps(env("OIDC_PROVIDERS"), env("SAML_PROVIDERS"))
INSTALLED_APPS += ["allauth.socialaccount.providers.saml"]
SOCIALACCOUNT_ADAPTER = "cms.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "cms.sso.provider.UniversityProvider",
        "OAUTH_PKCE_ENABLED": True,
        "APPS": _oidc_apps,
    },
    "saml": {"APPS": _saml_apps},
}
if "CONTENT_SECURITY_POLICY" in globals():
    globals()["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["form-action"] += sign_in_origins(
        _oidc_apps, _saml_apps
    )

# --- OAuth 2.0 for the 1EdTech OB 3.0 / CLR 2.0 APIs (django-oauth-toolkit) -----------------
# Applications register themselves (RFC 7591, credentials/web/oauth/); learners authorise them
# with the authorization code flow and PKCE (S256 only); access tokens live an hour, refresh
# tokens rotate. The scopes are the four the Open Badges 3.0 specification defines.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OB3_SCOPE_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
CLR_SCOPE_PREFIX = "https://purl.imsglobal.org/spec/clr/v2p0/scope/"
OAUTH2_PROVIDER = {
    "SCOPES": {
        OB3_SCOPE_PREFIX + "credential.readonly": "Read your credentials",
        OB3_SCOPE_PREFIX + "credential.upsert": "Add credentials to your backpack",
        OB3_SCOPE_PREFIX + "profile.readonly": "Read your profile",
        OB3_SCOPE_PREFIX + "profile.update": "Update your profile",
        CLR_SCOPE_PREFIX + "credential.readonly": "Read your learner record",
    },
    "DEFAULT_SCOPES": [OB3_SCOPE_PREFIX + "credential.readonly"],
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 60 * 60 * 24 * 90,
    "ROTATE_REFRESH_TOKEN": True,
    # A rotated-away refresh token used again (stolen, replayed) revokes its whole family.
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Always ask (the consent view also ignores a client's own approval_prompt=auto).
    "REQUEST_APPROVAL_PROMPT": "force",
    # Only S256 (a "plain" challenge is refused), bearer tokens only in the Authorization
    # header. At rest: client secrets are hashed (each application's hash_client_secret),
    # access and refresh tokens are kept only as their SHA-256 checksum (the token column is
    # left empty; DOT looks tokens up by checksum), so a copy of the database holds no usable
    # token. Authorization codes live 60 seconds and are stored as issued.
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,  # required by the hashed storage
    # RFC 9207: every authorization response, errors included, names us (iss = SITE_URL, the
    # issuer of our RFC 8414 metadata; the consent view sets it), so a client talking to several
    # servers can tell who answered.
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    # An application gets only the scopes it registered with (credentials.web.oauth.scopes).
    "SCOPES_BACKEND_CLASS": "credentials.web.oauth.scopes.RegisteredScopes",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"],  # http: loopback only (registration)
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "refresh_token"],
}
# django-oauth-toolkit warns (W008) whenever "http" is an allowed redirect scheme. Ours admits
# it for loopback addresses only (native applications, RFC 8252 §7.3): registration
# (credentials/web/oauth/registration.py) refuses http on any other host, and a redirect must
# match a registered URI exactly. The warning says nothing more than that, so it is silenced.
SILENCED_SYSTEM_CHECKS = ["oauth2_provider.W008"]
# Dynamic client registration (RFC 7591): registrations per client address, per window (s).
OAUTH_REGISTRATION_RATE_LIMIT = (int(env("OAUTH_REGISTRATION_RATE_LIMIT", "20") or 20), 3600)
# The OB 3.0 and CLR 2.0 discovery documents' x-imssf-privacyPolicyUrl; empty: our page at
# /ims/privacy (what an authorised application sees of a learner, and how to stop it).
OB3_PRIVACY_POLICY_URL = env("OB3_PRIVACY_POLICY_URL", "")
