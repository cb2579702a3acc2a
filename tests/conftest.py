import pytest
from django.contrib.auth import get_user_model

from cms import roles, services

PASSWORD = "correct-horse-battery"


def on_postgresql() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


# ``make test`` runs two passes side by side, one per core, and each test once: the
# database tests on PostgreSQL (the production database), and on SQLite (what `make run`
# uses) the journeys in Chromium, the real workers, the fault tests, the independent
# verifiers and the tests that touch no database. ``COCREATE_TEST_SHARD`` names the pass;
# without it (plain ``pytest``, ``make test-sqlite``, ``make test-postgres``) nothing is
# deselected. To even out the passes, SQLITE_DIRS sends whole folders of database tests to
# the SQLite pass (their ``postgres``-marked tests still run on PostgreSQL).
SHARD_ENV = "COCREATE_TEST_SHARD"
SQLITE_ONLY_PATHS = (
    "tests/browser/",
    "tests/faults/",
    "tests/lib/",
    "tests/credentials/standards/",
    "tests/credentials/interop/",
    "tests/credentials/web/test_verify_page.py",
    "tests/credentials/verify/test_engine.py",
    "tests/credentials/verify/test_fetch.py",
    "tests/credentials/verify/test_verify_engine.py",
    "tests/credentials/verify/test_verify_attacks.py",
    "tests/credentials/verify/test_verify_forgeries.py",
    # Database-free, and each starts Django in subprocesses (check --deploy, settings, Celery
    # start-up) or reads every catalogue: about a minute of the PostgreSQL pass moved to the
    # SQLite pass, which had that much slack (the last fresh-clone run: 13:27 against 14:42).
    "tests/cms/test_settings.py",
    "tests/cms/test_production_speed.py",
    "tests/cms/test_celery_startup.py",
    "tests/cms/test_translations.py",
    "tests/mentoring/test_checks.py",
)
SQLITE_DIRS: tuple[str, ...] = (
    # Seeding the whole demo (bulk inserts; `make run` does it on SQLite) and the data export:
    # these files even out the passes (a fresh-clone run of e36f314 took 18:52 on PostgreSQL
    # against 13:09 on SQLite).
    "tests/cms/test_seed_demo.py",
    "tests/cms/test_make_targets.py",
    "tests/cms/test_account_data.py",
    "tests/credentials/services/test_relocation.py",
    "tests/credentials/services/test_demo_credentials.py",
    "tests/mentoring/test_demo.py",
    "tests/learning/test_demo.py",
)


def shard_of(path: str, keywords) -> str:
    """The pass of ``make test`` a test runs in: ``postgres`` or ``sqlite``."""
    if "postgres" in keywords:
        return "postgres"
    if {"browser", "worker", "interop"} & set(keywords):
        return "sqlite"
    if any(part in path for part in SQLITE_ONLY_PATHS + SQLITE_DIRS):
        return "sqlite"
    return "postgres"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need PostgreSQL itself (exclusion constraints, real
    concurrency): they run in the PostgreSQL pass of ``make test``
    (``--ds=cms.settings.test_postgres``) and are skipped in the SQLite pass."""
    import os

    shard = os.environ.get(SHARD_ENV)
    if shard:
        if shard not in ("postgres", "sqlite"):
            raise pytest.UsageError(f"{SHARD_ENV} is 'postgres' or 'sqlite', not {shard!r}")
        if (shard == "postgres") != on_postgresql():
            raise pytest.UsageError(f"{SHARD_ENV}={shard} needs the matching database settings")
        keep, drop = [], []
        for item in items:
            path = item.nodeid.replace("\\", "/")
            (keep if shard_of(path, item.keywords) == shard else drop).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep
    # Tests that commit empty the database when they end, and the rows the migrations put in
    # (competence frameworks, Wagtail's locales and root collection) go with it: every test that
    # rolls back runs before any that commits. pytest-django sorts so, but pytest's own
    # reordering may run after it (a parametrized module changed the order once): sort again
    # here, last and stably.
    items.sort(key=database_order)
    if on_postgresql():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL pass of make test")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def database_order(item) -> int:
    """0 for a test in a rolled-back transaction, 1 for one that commits (the database is
    emptied after it, the migrations' rows too), 2 for one without the database: pytest-django's
    own order, which must hold whatever else reorders the tests."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    commits = bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))
    commits = commits or "transactional_db" in fixtures or "live_server" in fixtures
    if commits:
        return 1
    return 0 if marker or "db" in fixtures else 2


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language():
    """A request activates its language for the whole thread (Django's LocaleMiddleware and
    cms.i18n); the next test's reverse() and rendering must not inherit a French one."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _rsa_keys_from_the_runs_pool(monkeypatch):
    """Issuers' RSA keys come from tests/support/keypool.py: real keys, each one different
    within a test, made once per run instead of once per issuer of every test."""
    from credentials.standards import keys
    from tests.support.keypool import POOL

    POOL.restart()
    monkeypatch.setattr(keys, "generate_rsa_key", POOL)


@pytest.fixture
def make_user(db):
    def make(email: str, *role_names: str, **extra):
        user = get_user_model().objects.create_user(email=email, password=PASSWORD, **extra)
        services.mark_email_verified(user)  # as after the e-mailed link: logins work
        roles.grant(user, *role_names)
        return user

    return make


@pytest.fixture
def learner(make_user):
    return make_user("lena@example.org", roles.LEARNERS, display_name="Lena")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(email="root@example.org", password=PASSWORD)


@pytest.fixture
def home_page(db):
    from cms import demo

    return demo.seed_pages()
