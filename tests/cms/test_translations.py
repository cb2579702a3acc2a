"""The nine languages' catalogues: up to date with the code, complete, and well-formed.

`make messages` extracts the marked strings into locale/<lang>/LC_MESSAGES/*.po; translators fill
them in; the install step compiles them. These tests fail when a marked string is missing from a
catalogue, when a catalogue has an untranslated or fuzzy entry, or when a translation drops or
invents a placeholder or an HTML tag (which would break the page or the e-mail it is in).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
TRANSLATED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
DOMAINS = ["django", "djangojs"]
# What `make messages` reads; the same ignores as the Makefile's MESSAGES_IGNORE.
SOURCES = ["cms", "partnerships", "learning", "mentoring", "credentials", "lib"]
SOURCES += ["templates", "static/js"]
VENDOR_SCRIPTS = ["redoc-*.js"]

PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b")


def key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


@cache
def catalogue(language: str, domain: str) -> polib.POFile:
    path = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run `make messages`"
    return polib.pofile(str(path))


@cache
def extracted(tmp_root: str, domain: str) -> set[tuple[str, str, str]]:
    """The strings marked in the code now, extracted the way `make messages` does, in a copy."""
    copy = Path(tmp_root) / "source"
    if not copy.exists():
        ignore = shutil.ignore_patterns("__pycache__", "migrations", *VENDOR_SCRIPTS)
        for name in SOURCES:
            shutil.copytree(ROOT / name, copy / name, ignore=ignore)
        shutil.copy(ROOT / "manage.py", copy / "manage.py")
        (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-obsolete", "-d", domain]
        + ["--add-location=file"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "cms.settings.test"},
    )
    po = polib.pofile(str(copy / "locale" / "de" / "LC_MESSAGES" / f"{domain}.po"))
    return {key(e) for e in po if not e.obsolete}


@pytest.fixture(scope="module")
def extraction_root(tmp_path_factory):
    return str(tmp_path_factory.mktemp("messages"))


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_marked_string_is_in_the_catalogues(extraction_root, domain):
    in_code = extracted(extraction_root, domain)
    for language in TRANSLATED:
        committed = {key(e) for e in catalogue(language, domain) if not e.obsolete}
        missing = sorted(in_code - committed)
        stale = sorted(committed - in_code)
        assert not missing, (
            f"{language}/{domain}.po lacks {len(missing)} marked strings "
            f"(run `make messages` and translate them), e.g. {missing[:5]}"
        )
        assert not stale, (
            f"{language}/{domain}.po has {len(stale)} strings no longer in the code "
            f"(run `make messages`), e.g. {stale[:5]}"
        )


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_catalogue_is_complete(language, domain):
    po = catalogue(language, domain)
    entries = [e for e in po if not e.obsolete]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    empty = [e.msgid for e in entries if not e.translated() and "fuzzy" not in e.flags]
    assert not fuzzy, f"{language}/{domain}.po has {len(fuzzy)} fuzzy entries: {fuzzy[:5]}"
    assert not empty, f"{language}/{domain}.po has {len(empty)} untranslated: {empty[:5]}"
    assert po.metadata.get("Language") == language
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")


def _translations(entry: polib.POEntry) -> list[tuple[str, str]]:
    if entry.msgid_plural:
        # Every plural form is checked against the plural msgid (it has the count's name).
        return [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
    return [(entry.msgid, entry.msgstr)]


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_keep_every_placeholder_and_tag(language, domain):
    wrong = []
    for entry in catalogue(language, domain):
        if entry.obsolete or not entry.translated():
            continue
        for source, text in _translations(entry):
            names = sorted(set(PLACEHOLDER.findall(source)))
            if sorted(set(PLACEHOLDER.findall(text))) != names and not (
                # A singular form may leave the count out ("one lesson") when it has no name.
                entry.msgid_plural and set(PLACEHOLDER.findall(text)) <= set(names)
            ):
                wrong.append((entry.msgid, text, "placeholders"))
            if sorted(TAG.findall(source)) != sorted(TAG.findall(text)):
                wrong.append((entry.msgid, text, "tags"))
    assert not wrong, f"{language}/{domain}.po: {len(wrong)} broken, e.g. {wrong[:3]}"


def test_the_translations_are_compiled_by_the_install_step():
    # `make install` (and so `make run` and `make test`) compiles every .po with msgfmt --check.
    makefile = (ROOT / "Makefile").read_text()
    assert "install: $(STAMP) $(MO_FILES)" in makefile
    assert "msgfmt --check-format" in makefile
    for language in TRANSLATED:
        for domain in DOMAINS:
            mo = LOCALE / language / "LC_MESSAGES" / f"{domain}.mo"
            po = mo.with_suffix(".po")
            assert mo.exists(), f"{mo.relative_to(ROOT)} is not compiled: run `make install`"
            assert mo.stat().st_mtime >= po.stat().st_mtime, f"{mo.name} is older than its .po"
