"""lib.translations: what counts as words in another language than the reader's (aliases
repeat their source's), and the ``lang`` that tells screen readers so."""

import re

import pytest
from wagtail.models import Locale

from cms.models import StandardPage
from lib import translations
from tests.support.languages import english_path, notice

pytestmark = pytest.mark.django_db


def opening_tag(html: str, css_class: str) -> str:
    return re.search(rf'<[a-z0-9]+ class="{css_class}"[^>]*>', html).group(0)


def french(page, **words):
    copy = page.copy_for_translation(Locale.objects.get(language_code="fr"), copy_parents=True)
    for field, value in words.items():
        setattr(copy, field, value)
    copy.save_revision().publish()
    return type(page).objects.get(pk=copy.pk)


@pytest.fixture
def french_catalogue_alias(home_page):
    """The catalogue as wagtail-localize first makes it in French: an alias of the English."""
    from learning import demo
    from learning.models import CourseCatalogPage

    catalogue = demo.seed_catalogue(home_page)
    alias = catalogue.copy_for_translation(
        Locale.objects.get(language_code="fr"), copy_parents=True, alias=True
    )
    return CourseCatalogPage.objects.get(pk=alias.pk)


def test_an_alias_shows_its_source_words_as_a_fallback(french_catalogue_alias):
    source, shown = translations.display_pair(french_catalogue_alias)
    assert source.pk != french_catalogue_alias.pk
    assert shown.is_fallback is True and shown.content_language == "en"
    assert translations.is_fallback(shown, "fr")
    assert translations.words_language(shown, "fr") == "en"


def test_the_catalogue_alias_says_it_is_not_translated(client, french_catalogue_alias):
    response = client.get(f"/fr/{french_catalogue_alias.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert notice("fr") in html and notice("fr") != notice("en")
    assert opening_tag(html, "page-head") == '<header class="page-head" lang="en">'


def test_a_translated_catalogue_is_no_fallback(client, home_page):
    from learning import demo

    catalogue = demo.seed_catalogue(home_page)
    french(catalogue, title="Cours")
    html = client.get(f"/fr/{catalogue.slug}/").content.decode()
    assert "Cours" in html and notice("fr") not in html
    assert opening_tag(html, "page-head") == '<header class="page-head">'


def test_words_language_is_none_in_the_readers_language(home_page):
    about = StandardPage.objects.get(slug="about", locale__language_code="en")
    assert translations.words_language(about, "en") is None
    assert translations.words_language(about, "de") == "en"
    assert translations.words_language(french(about, title="À propos"), "fr") is None


@pytest.mark.parametrize("prefix", ["/fr", "/de"])
def test_an_untranslated_page_marks_its_words_english(client, home_page, prefix):
    html = client.get(f"{prefix}/about/").content.decode()
    assert f'<html lang="{prefix[1:]}"' in html  # the interface is the reader's
    assert opening_tag(html, "container prose") == '<article class="container prose" lang="en">'
    # The notice saying so is in the reader's language, and says it in its own lang.
    assert f'role="note" lang="{prefix[1:]}"' in html


def test_a_translated_or_english_page_marks_nothing(client, home_page):
    about = StandardPage.objects.get(slug="about", locale__language_code="en")
    french(about, title="À propos")
    for path in ("/about/", "/fr/about/"):
        html = client.get(path).content.decode()
        assert opening_tag(html, "container prose") == '<article class="container prose">', path


def hero(html: str) -> str:
    return html.split('<section class="hero">', 1)[1].split("</section>", 1)[0]


def test_the_home_page_marks_its_words_not_its_buttons(client, home_page):
    french_hero = hero(client.get("/fr/").content.decode())
    assert '<div lang="en">' in french_hero
    assert 'class="hero-actions"' in french_hero.split("</div>", 1)[1]  # outside the words
    assert "<div lang=" not in hero(client.get("/").content.decode())


@pytest.fixture
def lang_course(home_page, learner):
    from learning import demo, services
    from tests.learning.conftest import build_course

    course = build_course(demo.seed_catalogue(home_page), "lang-course")
    services.enrol(learner, course)
    return course


def test_an_untranslated_course_and_lesson_mark_their_words_not_the_interface(
    client, learner, lang_course
):
    from learning.models import LessonPage

    client.force_login(learner)
    html = client.get("/fr" + english_path(lang_course)).content.decode()
    assert f'<h1 lang="en">{lang_course.title}</h1>' in html
    assert '<p class="lead" lang="en">' in html
    assert '<h2 id="outline-title">' in html  # "Lessons": the interface, in French
    lesson = LessonPage.objects.child_of(lang_course).first()
    html = client.get("/fr" + english_path(lesson)).content.decode()
    assert '<h1 id="lesson-title" lang="en">' in html
    assert '<div class="lesson-body prose" lang="en">' in html
    # Once done, the lesson's "Done" beside its English title is said in French.
    client.post("/fr" + english_path(lesson), {"action": "done"})
    html = client.get("/fr" + english_path(lesson)).content.decode()
    assert 'class="status-pill status-pill--completed" lang="fr">' in html
    english = client.get(english_path(lesson)).content.decode()
    assert '<div class="lesson-body prose">' in english and '<h1 id="lesson-title">' in english


def test_a_translated_course_marks_nothing(client, lang_course):
    french(lang_course, title="Cours traduit", summary="En français.")
    html = client.get("/fr" + english_path(lang_course)).content.decode()
    assert "<h1>Cours traduit</h1>" in html and '<p class="lead">En français.</p>' in html
