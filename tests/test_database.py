from django.conf import settings
from django.db import connection


def test_runs_on_the_database_the_settings_ask_for(db):
    expected = "postgresql" if settings.SETTINGS_MODULE.endswith("test_postgres") else "sqlite"
    assert connection.vendor == expected
