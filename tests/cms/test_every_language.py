"""Each of the nine languages, page by page: no interface string is left in English.

A page is rendered in English and in the language; any piece of visible text (or readable
attribute) that is the same in both is English left over, unless it is content (names, course
text from the database, listed in ``content``) or the language's own translation happens to be
spelled the same (``Video``, ``Portfolio``). The e-mail a learner receives on an award is checked
the same way.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import TestCase
from django.utils import translation

from cms import roles
from cms import services as cms_services
from credentials import services as credential_services
from learning import demo as learning_demo
from learning import services
from learning.models import LessonPage
from tests.cms.test_translations import LOCALE
from tests.conftest import PASSWORD
from tests.learning.conftest import build_course, make_badge, make_issuer

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
WORD = re.compile(r"[^\W\d_]{2,}")
READABLE = {"alt", "title", "aria-label", "placeholder"}
# The same in every language: names of the site, standards and formats.
NAMES = {
    "Co-Create Academy",
    "Open Badges",
    "Open Badges 2.0",
    "Open Badges 3.0",
    "LinkedIn",
    "PNG",
    "SVG",
    "PDF",
    "JSON",
    "JSON-LD",
    "CSV",
    "EntreComp",
    "LifeComp",
    "DigComp",
    "Europass",
    "API",
    "OpenAPI",
    "Deutsch",
    "English",
    "Español",
    "Français",
    "Italiano",
    "Nederlands",
    "Polski",
    "Português",
    "Suomi",
    "VC-JWT",
}
URL = re.compile(r"^(https?://|/)\S*$")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
EDGES = " \t\n.,;:!?()[]/·–—-\"'«»„“”’‘"


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: set[str] = set()
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "template"):
            self._hidden += 1
        for name, value in attrs:
            if name in READABLE and value:
                self.pieces.add(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.pieces.add(" ".join(data.split()))


def pieces(html: str) -> set[str]:
    parser = _Text()
    parser.feed(html)
    return {p for p in parser.pieces if WORD.search(p)}


@cache
def own_words(language: str) -> tuple[frozenset[str], re.Pattern | None]:
    """Every translation in the language's catalogues (a few equal their English): the plain
    ones, and one pattern for those with placeholders ("EQF %(level)s" shows as "EQF 4")."""
    found = set()
    for domain in ("django", "djangojs"):
        for entry in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.po")):
            found.update([entry.msgstr, *entry.msgstr_plural.values()])
    texts = {" ".join(text.split()).strip(EDGES) for text in found if text}
    patterns = [
        ".+".join(re.escape(part.strip(EDGES)) for part in PLACEHOLDER.split(text))
        for text in texts
        # Only those with words of their own: "%(label)s (%(group)s)" would match anything.
        if PLACEHOLDER.search(text) and WORD.search(PLACEHOLDER.sub("", text))
    ]
    pattern = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
    return frozenset(texts), pattern


def _own(piece: str, language: str) -> bool:
    plain, pattern = own_words(language)
    return piece in plain or bool(pattern and pattern.fullmatch(piece))


def left_in_english(english: set[str], translated: set[str], language: str, content) -> list:
    same = {p.strip(EDGES) for p in english} & {p.strip(EDGES) for p in translated}
    content = {" ".join(str(c).split()).strip(EDGES) for c in content if c}
    return sorted(
        p
        for p in same
        if WORD.search(p)
        and p not in NAMES
        and not URL.match(p)
        and not _own(p, language)
        and not any(c and (c == p or (len(c) > 3 and c in p)) for c in content)
    )


def content_of(page) -> set[str]:
    """The words an editor wrote on a page (its text fields and every block's text)."""
    page = page.specific
    found = set()

    def walk(value):
        if isinstance(value, str):
            found.update(pieces(value) if "<" in value else {" ".join(value.split())})
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    for field in page._meta.get_fields():
        value = getattr(page, field.name, None) if hasattr(field, "attname") else None
        if hasattr(value, "raw_data"):
            walk(list(value.raw_data))
        elif isinstance(value, str) and field.name not in ("path", "url_path"):
            walk(value)
    return {text for text in found if WORD.search(text)}


def _world(home_page):
    """A learner who finished a co-created course and holds its badge."""
    catalogue = learning_demo.seed_catalogue(home_page)
    issuer = make_issuer("uni-every-language")
    badge = make_badge(issuer, "every-language-badge", name="Opportunity Spotter")
    course = build_course(catalogue, "every-language", institutions=[issuer], badge=badge)
    person = get_user_model().objects.create_user(
        email="amelie@example.org", password=PASSWORD, display_name="Amélie Laurent"
    )
    cms_services.mark_email_verified(person)
    roles.grant(person, roles.LEARNERS)
    services.enrol(person, course)
    with TestCase.captureOnCommitCallbacks(execute=True):
        award = credential_services.award(badge, person)
    lesson = LessonPage.objects.child_of(course).first()
    content = {
        person.display_name,
        person.email,
        issuer.name,
        badge.name,
        badge.description,
        badge.criteria_narrative,
        course.title,
        course.summary,
        catalogue.title,
        *(p.title for p in LessonPage.objects.child_of(course)),
        *(p.title for p in home_page.get_children()),
        home_page.title,
        *content_of(home_page),
        *content_of(catalogue),
    }
    content |= {text for text in pieces(lesson.body.render_as_block()) if text}
    return {
        "person": person,
        "award": award,
        "paths": {
            "home": "/",
            "catalogue": catalogue.url,
            "lesson": lesson.url,
            "dashboard": "/learning/",
            "backpack": "/credentials/mine/",
            "credential": f"/credentials/{award.public_id}/",
            "verify": "/verify/",
        },
        "content": content | {str(award.public_id)},
    }


@pytest.fixture(scope="module")
def every_language_world(django_db_setup, django_db_blocker):
    """The world, built once for the module's tests: each test runs inside this transaction, and
    what it changes rolls back to the world as built (the transaction rolls back at the end)."""
    from cms import demo

    with django_db_blocker.unblock(), transaction.atomic():
        yield _world(demo.seed_pages())
        transaction.set_rollback(True)


@pytest.fixture
def world(every_language_world, db):
    """The module's world, with fresh copies of the objects a test may change."""
    person = get_user_model().objects.get(pk=every_language_world["person"].pk)
    award = type(every_language_world["award"]).objects.get(pk=every_language_world["award"].pk)
    return every_language_world | {"person": person, "award": award}


def _render(client, path: str, language: str) -> str:
    prefixed = path if language == settings.LANGUAGE_CODE else f"/{language}{path}"
    response = client.get(prefixed, follow=True)
    assert response.status_code == 200, (prefixed, response.status_code)
    assert response["Content-Language"] == language
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_is_wholly_in_the_language(client, world, language):
    client.force_login(world["person"])
    problems = {}
    for name, path in world["paths"].items():
        english = pieces(_render(client, path, "en"))
        translated = pieces(_render(client, path, language))
        left = left_in_english(english, translated, language, world["content"])
        if left:
            problems[name] = left[:8]
    assert not problems, f"{language}: English left on {problems}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_award_email_is_wholly_in_the_recipients_language(world, language):
    from credentials.services import emails

    person = world["person"]
    bodies = {}
    for code in ("en", language):
        person.language = code
        person.save(update_fields=["language"])
        world["award"].recipient.refresh_from_db()
        message = emails.build_award_email(world["award"])
        html = next((c for c, kind in message.alternatives if kind == "text/html"), "")
        bodies[code] = (
            pieces(html)
            | {message.subject}
            | {" ".join(line.split()) for line in message.body.splitlines() if WORD.search(line)}
        )
    left = left_in_english(bodies["en"], bodies[language], language, world["content"])
    assert not left, f"{language}: English left in the award e-mail: {left[:8]}"
    with translation.override(language):
        assert bodies[language] != bodies["en"]
