from django.db import connection


def test_runs_on_the_database_the_run_asked_for(request, db):
    expected = "postgresql" if request.config.getoption("--postgres") else "sqlite"
    assert connection.vendor == expected
