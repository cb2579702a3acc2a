"""Page types, their parent/child rules, and what the course editor form refuses."""

import pytest

from cms.models import HomePage, StandardPage
from learning.models import CourseCatalogPage, CoursePage, CoursePageForm, LessonPage
from tests.learning.conftest import QUIZ, add_lesson, make_badge

pytestmark = pytest.mark.django_db


def test_courses_live_only_in_the_catalogue(catalogue, bare_home_page):
    assert CoursePage.can_create_at(catalogue)
    assert not CoursePage.can_create_at(bare_home_page)


def test_lessons_live_only_in_courses(course, catalogue):
    assert LessonPage.can_create_at(course)
    assert not LessonPage.can_create_at(catalogue)


def test_a_lesson_has_no_child_pages(course):
    lesson = LessonPage.objects.child_of(course).first()
    assert not StandardPage.can_create_at(lesson)
    assert not LessonPage.can_create_at(lesson)


def test_there_is_one_catalogue(catalogue, bare_home_page):
    assert not CourseCatalogPage.can_create_at(bare_home_page)


def test_the_catalogue_belongs_under_the_home_page(catalogue):
    assert CourseCatalogPage.parent_page_types == ["cms.HomePage"]
    assert isinstance(catalogue.get_parent().specific, HomePage)


def test_saving_a_lesson_records_its_graded_quizzes_and_required_reflections(course):
    lesson = add_lesson(
        course,
        "extra",
        [
            ("quiz", QUIZ),
            ("quiz", {**QUIZ, "graded": False}),
            ("reflection", {"prompt": "Why?", "guidance": "", "required": True}),
        ],
    )
    graded, practice = lesson.quiz_blocks()
    assert lesson.graded_quizzes == [graded.id]
    assert lesson.required_reflections == [lesson.reflection_blocks()[0].id]


def _ids(lesson):
    questions = lesson.quiz_blocks()[0].value["questions"].bound_blocks
    return [(q.id, [c.id for c in q.value["choices"].bound_blocks]) for q in questions]


def test_quiz_question_and_choice_ids_stay_the_same_after_republishing(course):
    lesson = LessonPage.objects.child_of(course).get(slug__endswith="-quiz")
    before = _ids(lesson)
    lesson.title = "Renamed"
    lesson.save_revision().publish()
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert _ids(lesson) == before


def _form(course, **changes):
    form_class = CoursePage.get_edit_handler().get_form_class()
    data = {
        "title": course.title,
        "slug": course.slug,
        "summary": course.summary,
        "workload_hours": 10,
        "language": "en",
        "course_format": "online",
        "requires_all_lessons": "on",
        "requires_quizzes_passed": "on",
        "required_mentoring_sessions": 0,
        "learning_outcomes-count": 0,
        "institutions": [i.pk for i in course.institutions.all()],
        "badge_class": course.badge_class_id or "",
    } | changes
    data = {k: v for k, v in data.items() if v is not None}
    return form_class(data, instance=course, parent_page=course.get_parent())


def test_editor_form_accepts_a_complete_course(course):
    form = _form(course)
    assert form.is_valid(), form.errors


def test_editor_form_refuses_a_badge_from_an_institution_that_does_not_co_create(course, elsewhere):
    foreign = make_badge(elsewhere, "foreign")
    form = _form(course, badge_class=foreign.pk)
    assert not form.is_valid()
    assert "does not co-create" in str(form.errors["badge_class"])


def test_editor_form_refuses_a_course_without_any_completion_condition(course):
    form = _form(course, requires_all_lessons=None, requires_quizzes_passed=None)
    assert not form.is_valid()
    assert "completion condition" in str(form.errors["requires_all_lessons"])


def test_editor_form_refuses_a_course_as_its_own_prerequisite(course):
    form = _form(course, prerequisites=[course.pk])
    assert not form.is_valid()
    assert "prerequisites" in form.errors


def test_course_form_is_the_learning_form():
    assert issubclass(CoursePage.get_edit_handler().get_form_class(), CoursePageForm)


def test_unpublished_lessons_are_not_served(client, enrolled, course):
    lesson = LessonPage.objects.child_of(course).first()
    url = lesson.url
    lesson.unpublish()
    client.force_login(enrolled)
    assert client.get(url).status_code == 404
