"""The settings modules behave as promised when started for real, in a fresh interpreter."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "-production-grade-secret-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "academy.example.org",
    "SITE_URL": "https://academy.example.org",
    "DATABASE_URL": "postgres://academy:secret@db.example.org:5432/academy",
    "CELERY_BROKER_URL": "redis://redis.example.org:6379/0",
    "REDIS_URL": "redis://redis.example.org:6379/1",  # the shared cache (README: Production)
    "CREDENTIALS_KEY_SECRET": "c" * 20 + "-key-encryption-secret-0123456789-abcdefghijklmnop",
}


def run(args, settings, extra_env=None):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECRET_KEY", "DATABASE_URL", "CELERY_", "DJANGO_", "CREDENTIALS_"))
    }
    env.update(extra_env or {}, DJANGO_SETTINGS_MODULE=settings)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run(["manage.py", "check"], "cms.settings.production", env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_passes_check_deploy_with_no_warnings():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        "cms.settings.production",
        PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_key_secret():
    without = {k: v for k, v in PRODUCTION_ENV.items() if k != "CREDENTIALS_KEY_SECRET"}
    result = run(["manage.py", "check"], "cms.settings.production", without)
    assert result.returncode != 0
    assert "CREDENTIALS_KEY_SECRET is not set" in result.stderr


def test_production_fails_check_deploy_when_the_key_secret_is_the_secret_key():
    same = {**PRODUCTION_ENV, "CREDENTIALS_KEY_SECRET": PRODUCTION_ENV["SECRET_KEY"]}
    result = run(["manage.py", "check", "--deploy"], "cms.settings.production", same)
    assert result.returncode != 0
    assert "credentials.E002" in result.stderr + result.stdout


def test_production_reads_old_secret_keys_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(*s.SECRET_KEY_FALLBACKS)"
    )
    env = {
        **PRODUCTION_ENV,
        "SECRET_KEY_FALLBACKS": "old-one-" + "x" * 50 + ", old-two-" + "y" * 50,
    }
    result = run(["-c", code], "cms.settings.production", env)
    assert result.stdout.split() == ["old-one-" + "x" * 50, "old-two-" + "y" * 50]


def test_production_reads_database_and_broker_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'], "
        "s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, s.SITE_URL)"
    )
    result = run(["-c", code], "cms.settings.production", PRODUCTION_ENV)
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.example.org",
        "redis://redis.example.org:6379/0",
        "False",
        "https://academy.example.org",
    ]


def test_dev_defaults_to_sqlite_and_eager_celery():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    result = run(["-c", code], "cms.settings.dev")
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]
