import pytest
from django.contrib.auth import get_user_model

from cms import roles

PASSWORD = "correct-horse-battery"


def pytest_addoption(parser):
    parser.addoption(
        "--postgres",
        action="store_true",
        help="Run the database tests against a throwaway PostgreSQL cluster started here.",
    )


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need PostgreSQL itself (exclusion constraints, real
    concurrency): they run in the ``--postgres`` pass of ``make test`` and are skipped in the
    SQLite pass."""
    if config.getoption("--postgres"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: runs in the --postgres pass of make test")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix):
    """With --postgres, point Django at a PostgreSQL cluster this test run starts itself."""
    if not request.config.getoption("--postgres"):
        return
    from django.conf import settings
    from django.db import connections

    from tests.support.postgres import PostgresCluster

    cluster = PostgresCluster().start()
    request.addfinalizer(cluster.stop)
    settings.DATABASES["default"].update(cluster.django_settings())
    # Drop any connection object made for the old engine, so the next use builds a new one.
    connections.close_all()
    del connections["default"]


@pytest.fixture
def make_user(db):
    def make(email: str, *role_names: str, **extra):
        user = get_user_model().objects.create_user(email=email, password=PASSWORD, **extra)
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
