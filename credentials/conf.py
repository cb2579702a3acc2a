"""Every setting the credentials app reads: its default, what it means, how its environment
variable reads. Read them as ``from credentials.conf import settings``; an undeclared name
fails. The README's settings table lists each (a test checks it). Project-wide settings
(``SITE_URL``, ``SECRET_KEY``, …) stay in ``cms/settings``.
"""

from django.conf import settings as django_settings
from django.core import checks

from lib.appsettings import AppSettings, Setting, as_bool, as_list


def _per_minute(raw: str) -> tuple[int, int]:
    return (int(raw), 60)


settings = AppSettings(
    "credentials",
    CREDENTIALS_KEY_SECRET=Setting(
        None,
        "Secret that encrypts issuers' private signing keys at rest (HKDF, then Fernet). Required "
        "in production (`check --deploy` error credentials.E001-E003: unset, equal to SECRET_KEY "
        "or under 32 characters); unset under DEBUG: derived from SECRET_KEY.",
    ),
    CREDENTIALS_KEY_SECRET_FALLBACKS=Setting(
        [],
        "Older key secrets, comma-separated, still accepted for decryption while rotating "
        "(`manage.py rotate_keys --reencrypt` then drops them).",
        as_list,
    ),
    BULK_AWARD_THREAD_WHEN_EAGER=Setting(
        False,
        "Without a broker (eager Celery), run a bulk award in a thread of the web process so its "
        "page shows progress. On under `make run`; production has workers.",
        as_bool,
    ),
    ISSUER_MFA_DEMO_EXEMPT=Setting(
        [],
        "Demo accounts (e-mail addresses, comma-separated) that may act for their issuer without "
        "a second factor. `make run` only: on in cms/settings/dev.py, refused by a system check "
        "when DEBUG is off; production and tests require TOTP or a passkey.",
        as_list,
    ),
    DEMO_DATA_ALLOWED=Setting(
        False,
        "Let `manage.py seed_demo` create the demo accounts (known password) and sign the demo "
        "institutions' credentials again for a new SITE_URL when DEBUG is off. On in the test "
        "settings; `make run` needs nothing (DEBUG is on); never in production.",
        as_bool,
    ),
    VERIFY_ALLOW_PRIVATE_FETCH=Setting(
        False,
        "Let the verifier fetch documents from private and loopback addresses (and over plain "
        "HTTP). Tests only: in production it would let a credential probe the local network.",
        as_bool,
    ),
    VERIFY_RATE_LIMIT=Setting(
        (30, 60),
        "Verifications per client address per minute (page and API); the environment variable "
        "gives the number per minute.",
        _per_minute,
    ),
    VERIFY_TRUSTED_PROXIES=Setting(
        0,
        "Reverse proxies in front of the site that append to X-Forwarded-For (0: the client is "
        "REMOTE_ADDR).",
        int,
    ),
    VERIFY_FETCH_MAX_CONCURRENT=Setting(
        8, "Outside fetches at once in one web process (more wait, then get 'busy').", int
    ),
    VERIFY_FETCH_MAX_PER_CLIENT=Setting(
        2, "Outside fetches at once on behalf of one client address.", int
    ),
    VERIFY_FETCH_CACHE_SECONDS=Setting(
        60,
        "How long an outside document (issuer profile, key, badge class) is cached, at most "
        "(less when its Cache-Control says so; our own site's documents are never cached).",
        float,
    ),
    VERIFY_FETCH_IN_PROCESS=Setting(
        True,
        "Read documents of this site through Django in the same process instead of over HTTP "
        "(a site cannot always reach its own public address).",
        as_bool,
    ),
    IMPORT_MAX_BYTES=Setting(
        1024 * 1024,
        "The largest credential from another issuer a learner's backpack accepts (bytes; "
        "upsertCredential answers 413 above it).",
        int,
    ),
    IMPORT_MAX_PER_LEARNER=Setting(
        1000,
        "Credentials from other issuers one learner's backpack keeps at most (a new one beyond "
        "is refused: upsertCredential answers 400 too_many; one already kept may be replaced).",
        int,
    ),
    IMPORT_VERDICT_MAX_AGE_SECONDS=Setting(
        86400,
        "How long our verifier's verdict on an imported credential stands. Older, it is shown "
        "as 'last checked on …, checking again' and checked again in the background; beat "
        "re-checks what public profiles show well before that.",
        int,
    ),
    IMPORT_CHECKS_PER_LEARNER=Setting(
        2,
        "Checks of one learner's imported credentials run at once, at most (others wait and "
        "retry): one backpack cannot flood the verifier, which fetches from the network.",
        int,
    ),
    VERIFY_STATUS_CACHE_SECONDS=Setting(
        60,
        "Other issuers' status lists are cached no longer than their own ttl and never longer "
        "than this; our own credentials' status is read from the database, never cached.",
        int,
    ),
)


@checks.register(checks.Tags.security)
def check_issuer_mfa_demo_exemption(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The demo exemption from issuer staff's second factor is for `make run` (DEBUG) only."""
    if settings.ISSUER_MFA_DEMO_EXEMPT and not django_settings.DEBUG:
        return [
            checks.Error(
                "ISSUER_MFA_DEMO_EXEMPT lets issuer staff act without a second factor; it is "
                "for `make run` only and refused when DEBUG is off.",
                hint="Unset ISSUER_MFA_DEMO_EXEMPT (it belongs in cms/settings/dev.py only).",
                id="credentials.E101",
            )
        ]
    return []
