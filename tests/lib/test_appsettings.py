"""lib.appsettings: one settings object per app, strict about what it reads."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from lib.appsettings import AppSettings, Setting, UnknownSetting, as_bool, as_list

SETTINGS = AppSettings(
    "demo",
    DEMO_SWITCH=Setting(False, "A switch.", as_bool),
    DEMO_COUNT=Setting(8, "A number.", int),
    DEMO_SECRET=Setting(None, "A secret."),
    DEMO_HOSTS=Setting([], "A list.", as_list),
)


@pytest.fixture
def clean_env(monkeypatch):
    for name in SETTINGS.declared():
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_unset_and_empty_variables_give_the_default(clean_env):
    clean_env.setenv("DEMO_COUNT", "")
    assert (SETTINGS.DEMO_SWITCH, SETTINGS.DEMO_COUNT, SETTINGS.DEMO_SECRET) == (False, 8, None)


@pytest.mark.parametrize("raw, value", [("on", True), ("TRUE", True), ("0", False), ("no", False)])
def test_a_switch_reads_the_usual_spellings(clean_env, raw, value):
    clean_env.setenv("DEMO_SWITCH", raw)
    assert SETTINGS.DEMO_SWITCH is value


def test_a_misspelt_switch_stops_start_up_instead_of_reading_as_off(clean_env):
    clean_env.setenv("DEMO_SWITCH", "ture")
    with pytest.raises(ImproperlyConfigured, match="DEMO_SWITCH"):
        SETTINGS.check()


def test_a_malformed_number_stops_start_up(clean_env):
    clean_env.setenv("DEMO_COUNT", "eight")
    with pytest.raises(ImproperlyConfigured, match="DEMO_COUNT"):
        SETTINGS.check()


def test_a_value_of_spaces_is_kept_as_given(clean_env):
    """As cms/settings' env(): only an unset or empty variable falls back to the default (a
    secret of spaces must not silently become the default secret)."""
    clean_env.setenv("DEMO_SECRET", "  ")
    assert SETTINGS.DEMO_SECRET == "  "


def test_django_settings_win_over_the_environment(clean_env, settings):
    clean_env.setenv("DEMO_HOSTS", "a.example, b.example")
    assert SETTINGS.DEMO_HOSTS == ["a.example", "b.example"]
    settings.DEMO_HOSTS = ["c.example"]
    assert SETTINGS.DEMO_HOSTS == ["c.example"]


def test_an_undeclared_name_fails_loudly():
    with pytest.raises(UnknownSetting, match="demo/conf.py"):
        SETTINGS.DEMO_CONT  # noqa: B018 - the typo is the point


def test_the_credentials_app_checks_its_settings_when_it_starts(monkeypatch):
    from django.apps import apps

    monkeypatch.setenv("VERIFY_FETCH_MAX_CONCURRENT", "many")
    with pytest.raises(ImproperlyConfigured, match="VERIFY_FETCH_MAX_CONCURRENT"):
        apps.get_app_config("credentials").ready()
