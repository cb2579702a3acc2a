"""The catalogue: published courses, filters, Wagtail search, each course's key facts."""

import pytest

from credentials.models import Competency
from learning import services
from learning.models import CoursePage
from tests.learning.conftest import QUIZ, add_lesson, build_course

pytestmark = pytest.mark.django_db


def titles(client, catalogue, **params):
    response = client.get(catalogue.url, params)
    assert response.status_code == 200
    return [course.title for course, _ in response.context["cards"]]


@pytest.fixture
def courses(course, other_course):
    """Opportunities (EntreComp 1.1, EQF 6, English, online, Northbridge + Helix) and
    Teamwork (LifeComp S3, German, blended, Elsewhere)."""
    other_course.competences.add(Competency.objects.get(framework__code="lifecomp", code="S3"))
    other_course.course_format = "blended"
    other_course.save()
    return course, other_course


def test_the_catalogue_lists_published_courses(client, catalogue, courses):
    assert titles(client, catalogue) == ["Opportunities", "Teamwork"]


def test_draft_courses_are_not_listed(client, catalogue, courses):
    courses[1].unpublish()
    assert titles(client, catalogue) == ["Opportunities"]


def test_filter_by_competence(client, catalogue, courses):
    s3 = Competency.objects.get(framework__code="lifecomp", code="S3")
    assert titles(client, catalogue, competence=s3.pk) == ["Teamwork"]


def test_filter_by_framework(client, catalogue, courses):
    assert titles(client, catalogue, framework="entrecomp") == ["Opportunities"]


def test_filter_by_level(client, catalogue, courses):
    assert titles(client, catalogue, level=6) == ["Opportunities"]


def test_filter_by_language(client, catalogue, courses):
    assert titles(client, catalogue, language="de") == ["Teamwork"]


def test_filter_by_format(client, catalogue, courses):
    assert titles(client, catalogue, course_format="blended") == ["Teamwork"]


def test_filter_by_institution(client, catalogue, courses, partner):
    assert titles(client, catalogue, institution=partner.slug) == ["Opportunities"]


def test_filters_combine(client, catalogue, courses):
    assert titles(client, catalogue, language="de", framework="entrecomp") == []


def test_search_finds_courses_by_their_summary(client, catalogue, courses):
    build_course(catalogue, "ip-basics", title="IP basics", summary="Patents and licences.")
    assert titles(client, catalogue, q="patents") == ["IP basics"]


def test_search_combines_with_filters(client, catalogue, courses):
    assert sorted(titles(client, catalogue, q="industry")) == ["Opportunities", "Teamwork"]
    assert titles(client, catalogue, q="industry", language="de") == ["Teamwork"]


def test_an_invalid_filter_value_is_reported_and_ignored(client, catalogue, courses):
    response = client.get(catalogue.url, {"level": "99", "competence": "abc"})
    html = response.content.decode()
    assert response.status_code == 200 and "Select a valid choice" in html
    assert len(response.context["cards"]) == 2


def test_filters_offer_only_what_published_courses_have(client, catalogue, courses):
    form = client.get(catalogue.url).context["form"]
    frameworks = [code for code, _ in form.fields["framework"].choices if code]
    assert sorted(frameworks) == ["entrecomp", "lifecomp"]


def test_each_course_shows_workload_level_and_badge(client, catalogue, courses):
    html = client.get(catalogue.url).content.decode()
    assert "10 h" in html and "EQF 6" in html and courses[0].badge_class.name in html


def test_an_empty_result_says_what_to_do(client, catalogue, courses):
    html = client.get(catalogue.url, {"q": "zzzzqqq"}).content.decode()
    assert "No course matches these filters" in html and "See every course" in html


def test_enrolled_courses_are_marked_for_the_learner(client, catalogue, courses, enrolled):
    client.force_login(enrolled)
    response = client.get(catalogue.url)
    assert dict((c.title, s) for c, s in response.context["cards"]) == {
        "Opportunities": "active",
        "Teamwork": None,
    }


def test_the_catalogue_pages_through_many_courses(client, catalogue):
    for n in range(13):
        CoursePage.objects.get(pk=build_course(catalogue, f"course-{n:02d}").pk)
    page_two = client.get(catalogue.url, {"page": 2})
    assert len(page_two.context["cards"]) == 1


def test_the_catalogue_accepts_only_reads(client, catalogue):
    assert client.post(catalogue.url).status_code == 405


def test_catalogue_query_service_orders_search_results_by_relevance(catalogue, courses):
    build_course(catalogue, "ip-basics", title="IP basics", summary="Patents, patents, patents.")
    found = services.catalogue_courses(services.CatalogueQuery(q="patents"))
    assert [c.title for c in found] == ["IP basics"]


# Search reaches into the lessons (the suggestions "prototype, IP, teamwork" found nothing)


def test_search_finds_a_course_by_words_in_its_lessons(client, catalogue, courses):
    add_lesson(courses[1], "sprint", [("text", "<p>Build a paper prototype in a day.</p>")])
    assert titles(client, catalogue, q="prototype") == ["Teamwork"]


def test_search_finds_a_course_by_a_lessons_title(client, catalogue, courses):
    add_lesson(courses[0], "negotiating-licences")
    assert titles(client, catalogue, q="licences") == ["Opportunities"]


def test_a_course_matching_itself_ranks_before_one_matching_by_a_lesson(client, catalogue, courses):
    add_lesson(courses[0], "aside", [("text", "<p>Patents, briefly.</p>")])
    build_course(catalogue, "ip-basics", title="IP basics", summary="Patents and licences.")
    assert titles(client, catalogue, q="patents")[0] == "IP basics"


def test_words_of_a_draft_lesson_find_nothing(client, catalogue, courses):
    lesson = add_lesson(courses[0], "draft", [("text", "<p>Zeppelin logistics.</p>")])
    lesson.unpublish()
    assert titles(client, catalogue, q="zeppelin") == []


def test_words_of_a_private_lesson_find_nothing(client, catalogue, courses):
    from wagtail.models import PageViewRestriction

    lesson = add_lesson(courses[0], "secret", [("text", "<p>Zeppelin logistics.</p>")])
    PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert titles(client, catalogue, q="zeppelin") == []


def test_lessons_of_an_unpublished_course_find_nothing(client, catalogue, courses):
    add_lesson(courses[1], "hidden", [("text", "<p>Zeppelin logistics.</p>")])
    courses[1].unpublish()
    assert titles(client, catalogue, q="zeppelin") == []
    assert services.search_ids("zeppelin") == []


def test_a_lesson_search_combines_with_the_filters(client, catalogue, courses):
    add_lesson(courses[1], "sprint", [("text", "<p>Build a paper prototype in a day.</p>")])
    assert titles(client, catalogue, q="prototype", language="en") == []


def test_words_of_a_quiz_or_a_reflection_prompt_find_nothing(client, catalogue, courses):
    zeppelin = "Zeppelin"
    quiz = QUIZ | {
        "questions": [
            {
                "text": f"Which {zeppelin} question?",
                "kind": "single",
                "choices": [
                    {"text": f"{zeppelin} right", "correct": True, "feedback": zeppelin},
                    {"text": "Other", "correct": False, "feedback": ""},
                ],
                "explanation": f"Because {zeppelin}.",
            }
        ]
    }
    prompt = {"prompt": f"Where is the {zeppelin}?", "guidance": zeppelin, "required": False}
    add_lesson(courses[1], "gated", [("quiz", quiz), ("reflection", prompt)])
    assert titles(client, catalogue, q="zeppelin") == []
    assert services.search_ids("zeppelin") == []


def test_a_course_behind_a_privacy_setting_is_not_found_nor_recommended(
    client, catalogue, courses, learner
):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=courses[1], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert titles(client, catalogue, q="teamwork") == []
    assert services.search_ids("teamwork") == []
    assert courses[1].pk not in [c.pk for c in services.recommended_courses(learner)]
    assert courses[1].pk not in [c.pk for c in services.recommended_courses(None, after=courses[0])]
