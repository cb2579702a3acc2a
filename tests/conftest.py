import pytest
from django.contrib.auth import get_user_model

from cms import roles, services

PASSWORD = "correct-horse-battery"


def on_postgresql() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need PostgreSQL itself (exclusion constraints, real
    concurrency): they run in the PostgreSQL pass of ``make test``
    (``--ds=cms.settings.test_postgres``) and are skipped in the SQLite pass."""
    if on_postgresql():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL pass of make test")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


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
