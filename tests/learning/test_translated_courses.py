"""Courses and lessons in the reader's language: one course, its learning shared by every
language; the words of its live translation; its own words, marked, where there is none; and
nothing a translation could use to show what its source keeps private or to change grading."""

import pytest
from django.utils import translation
from wagtail.models import Locale, PageViewRestriction

from learning import services
from learning.models import CoursePage, Enrolment, LessonPage, LessonProgress
from lib import translations
from tests.learning.conftest import answers, quiz_block, quiz_lesson, token
from tests.support.languages import english_path, notice

pytestmark = pytest.mark.django_db

NOTICE_EN = "This page is not translated into your language yet"


def translate(page, language: str = "fr", publish: bool = True, **words):
    """The translation an editor makes and publishes (its untranslated parents become aliases)."""
    locale = Locale.objects.get(language_code=language)
    copy = page.specific.copy_for_translation(locale, copy_parents=True)
    for field, value in words.items():
        setattr(copy, field, value)
    revision = copy.save_revision()
    if publish:
        revision.publish()
    return type(page.specific).objects.get(pk=copy.pk)


@pytest.fixture
def french_course(course):
    return translate(course, title="Repérer des opportunités", summary="Un résumé en français.")


def test_a_translated_course_shows_its_french_words_at_its_french_address(
    client, course, french_course
):
    html = client.get("/fr" + english_path(course)).content.decode()
    assert "Repérer des opportunités" in html and "Un résumé en français." in html
    assert notice("fr") not in html
    english = client.get(english_path(course)).content.decode()
    assert "Repérer des opportunités" not in english and course.title in english


def test_an_untranslated_lesson_shows_its_own_words_marked_as_such(
    client, enrolled, course, french_course
):
    lesson = LessonPage.objects.child_of(course).first()
    client.force_login(enrolled)
    html = client.get("/fr" + english_path(lesson)).content.decode()
    assert lesson.title in html
    assert notice("fr") in html and notice("fr") != notice("en")
    assert '<html lang="fr"' in html


def test_a_draft_translation_is_not_shown(client, course):
    translate(course, publish=False, title="Brouillon du traducteur")
    html = client.get("/fr" + english_path(course)).content.decode()
    assert "Brouillon du traducteur" not in html
    assert course.title in html and notice("fr") in html


def test_the_learning_on_a_french_page_is_the_one_course_s(client, learner, course, french_course):
    client.force_login(learner)
    response = client.post("/fr" + english_path(course), {"action": "enrol"})
    assert response.status_code == 302 and response["Location"].startswith("/fr/")
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.course_id == course.pk  # not the French copy's
    lesson = LessonPage.objects.child_of(course).first()
    client.post("/fr" + english_path(lesson), {"action": "done"})
    done = LessonProgress.objects.get(enrolment=enrolment)
    assert done.lesson_id == lesson.pk
    # The English page shows the same progress.
    assert services.progress_of(enrolment, services.course_lessons(course)).is_done(lesson)


def test_links_on_a_french_page_keep_the_language(client, enrolled, course, french_course):
    client.force_login(enrolled)
    html = client.get("/fr" + english_path(course)).content.decode()
    lesson = LessonPage.objects.child_of(course).first()
    assert f'href="/fr{english_path(lesson)}"' in html


def test_the_copy_shown_can_never_be_saved(course, french_course):
    shown = translations.in_language(course, "fr")
    assert shown.title == "Repérer des opportunités" and shown.pk == course.pk
    with pytest.raises(RuntimeError):
        shown.save()
    course.refresh_from_db()
    assert course.title != "Repérer des opportunités"


def test_grading_follows_the_source_quiz_not_a_translation(client, enrolled, course):
    """A translator who flips which answer is right changes nothing a learner can pass with."""
    lesson = quiz_lesson(course)
    french = translate(lesson)
    stream = french.body.raw_data
    flipped = 0
    for block in stream:
        if block["type"] == "quiz":
            for question in block["value"]["questions"]:
                for choice in question["value"]["choices"]:
                    choice["value"]["correct"] = not choice["value"]["correct"]
                    flipped += 1
    assert flipped
    french.body = stream
    french.save_revision().publish()
    client.force_login(enrolled)
    block = quiz_block(lesson)
    wrong_by_source = answers(lesson, right=False)
    data = {"action": "quiz", "quiz": block.id, "token": token(7)}
    data |= {f"q-{q}": ids for q, ids in wrong_by_source.items()}
    client.post("/fr" + english_path(lesson), data)
    attempt = enrolled.enrolments.get().attempts.get()
    assert attempt.passed is False and attempt.lesson_id == lesson.pk


def test_a_translation_of_a_restricted_course_is_refused_like_its_source(
    client, course, french_course
):
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    for path in (english_path(course), "/fr" + english_path(course)):
        response = client.get(path)
        assert response.status_code == 302 and "login" in response["Location"], path
    # The French copy served from its own tree (Wagtail's route, not the catalogue's).
    french = CoursePage.objects.get(pk=french_course.pk)
    from django.test import RequestFactory

    from cms.wagtail_hooks import source_restrictions_apply_to_translations

    served = []
    guarded = source_restrictions_apply_to_translations(lambda *args: served.append(args))
    request = RequestFactory().get("/fr/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    request.session = {}
    response = guarded(french, request, (), {})
    assert served == [] and response.status_code == 302


def test_a_translated_standard_page_of_a_restricted_one_is_refused(client, home_page):
    from cms.models import StandardPage

    about = StandardPage.objects.filter(locale__language_code="en").first()
    translate(about, title="À propos")
    assert client.get("/fr" + english_path(about)).status_code == 200
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/fr" + english_path(about))
    assert response.status_code == 302 and "À propos" not in response.content.decode()


def test_an_untranslated_standard_page_is_found_in_the_source_tree_and_marked(
    client, home_page, course, french_course
):
    # The French tree exists (the course's translation made aliases of its parents) but holds
    # no copy of the About page: its French address still works, in English, marked.
    from cms.models import StandardPage

    about = StandardPage.objects.filter(locale__language_code="en").first()
    response = client.get("/fr" + english_path(about))
    assert response.status_code == 200
    html = response.content.decode()
    assert about.title in html and notice("fr") in html


def test_a_course_withdrawn_in_english_is_withdrawn_at_its_french_address(
    client, enrolled, course, french_course
):
    course.unpublish()
    client.force_login(enrolled)
    assert client.get("/fr" + english_path(course)).status_code == 404
    lesson = LessonPage.objects.child_of(course).first()
    # Its lessons answer in French exactly as in English: never the French copies instead.
    english = client.get(english_path(lesson))
    french = client.get("/fr" + english_path(lesson))
    assert french.status_code == english.status_code


def test_evidence_signed_into_a_badge_never_carries_a_language_prefix(enrolled, course):
    from tests.learning.conftest import finish

    finish(enrolled, course)
    enrolment = enrolled.enrolments.get()
    with translation.override("fr"):
        evidence = services.award_evidence(enrolment)
    assert evidence and all("/fr/" not in (item.url or "") for item in evidence)


def test_translators_never_change_a_slug():
    from wagtail_localize.fields import SynchronizedField, get_translatable_fields

    from cms.models import StandardPage

    for model in (CoursePage, LessonPage, StandardPage):
        slug = [f for f in get_translatable_fields(model) if f.field_name == "slug"]
        assert slug and isinstance(slug[0], SynchronizedField), model


def test_the_menu_speaks_the_reader_s_language(client, course, french_course):
    catalogue = course.get_parent()
    html = client.get("/fr" + english_path(course)).content.decode()
    assert f'href="/fr{english_path(catalogue)}"' in html


def test_a_translated_course_is_listed_once_in_every_language(client, course, french_course):
    catalogue = course.get_parent()
    for prefix in ("", "/fr"):
        response = client.get(prefix + english_path(catalogue))
        assert response.context["total"] == 1, prefix
    assert [c.pk for c in services.recommended_courses(None)] == [course.pk]
