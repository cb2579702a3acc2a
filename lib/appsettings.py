"""One settings object per app: every setting the app reads, declared once with its default,
what it means and how its environment variable reads.

A value comes from Django's settings when the project sets it (tests override it there), else
from the environment variable of the same name, else the declared default. ``check()`` (called
from the app's ``ready()``) reads them all, so a bad value stops start-up. Reading a name the
app did not declare is an error, so a typo fails loudly instead of quietly using a default.

    settings = AppSettings(
        "credentials",
        VERIFY_RATE_LIMIT=Setting(30, "Verifications per minute per client.", int),
    )
    settings.VERIFY_RATE_LIMIT
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured


def as_bool(raw: str) -> bool:
    """``1/true/yes/on`` or ``0/false/no/off`` (any case); anything else is a mistake."""
    if raw.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"must be true or false, not {raw!r}")


def as_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class Setting:
    default: Any
    doc: str
    parse: Callable[[str], Any] = str


class UnknownSetting(AttributeError):
    """An app read a setting it never declared."""


class AppSettings:
    def __init__(self, app: str, **declared: Setting) -> None:
        self._app = app
        self._declared = declared

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            setting = self._declared[name]
        except KeyError:
            raise UnknownSetting(
                f"{self._app} declares no setting {name!r}; declare it in {self._app}/conf.py"
            ) from None
        if hasattr(django_settings, name):
            return getattr(django_settings, name)
        raw = os.environ.get(name)
        if raw in (None, ""):  # as cms/settings' env(): only an unset or empty variable is unset
            return setting.default
        try:
            return setting.parse(raw)
        except ValueError as error:
            raise ImproperlyConfigured(f"{name}: {error}") from None

    def check(self) -> None:
        """Read every declared setting once, so a bad value stops the process at start-up (from
        ``AppConfig.ready``) rather than failing each request that reads it."""
        for name in self._declared:
            getattr(self, name)

    def declared(self) -> dict[str, Setting]:
        """Every setting of the app, by name (the README's settings table lists them all)."""
        return dict(self._declared)
