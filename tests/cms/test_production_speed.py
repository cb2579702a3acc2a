"""Production's speed settings (README "Production"), read in a fresh interpreter."""

from tests.cms.test_settings import PRODUCTION_ENV, run

SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "from django.template import engines; db = s.DATABASES['default']; "
    "loaders = engines['django'].engine.template_loaders; "
    "print(db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'], s.SESSION_ENGINE, "
    "*(type(loader).__module__ for loader in loaders))"
)


def test_production_keeps_database_connections_and_sessions_in_the_database():
    env = {**PRODUCTION_ENV, "REDIS_URL": "redis://redis.example.org:6379/1"}
    result = run(["-c", SHOW], "cms.settings.production", env)
    assert result.stdout.split() == [
        "60",
        "True",
        "django.contrib.sessions.backends.db",
        "django.template.loaders.cached",
    ], result.stderr


def test_production_connection_age_comes_from_the_environment():
    env = {**PRODUCTION_ENV, "DATABASE_CONN_MAX_AGE": "0"}
    result = run(["-c", SHOW], "cms.settings.production", env)
    assert result.stdout.split()[:2] == ["0", "True"], result.stderr
