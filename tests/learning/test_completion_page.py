"""The completion page: the moment a learner finishes a course, its badge, sharing it, and the
next course; only ever the learner's own."""

import pytest
from django.urls import reverse

from cms import roles
from credentials.models import Award
from learning import services
from learning.models import CoursePage, Enrolment, LessonPage
from tests.learning.conftest import answers, build_course, finish, quiz_block, quiz_lesson, token

pytestmark = pytest.mark.django_db


def completion_url(course) -> str:
    return reverse("learning:completed", args=[course.pk])


@pytest.fixture
def finished_with_badge(enrolled, course, django_capture_on_commit_callbacks):
    """Lena finished the course, and the badge was awarded (on-commit callbacks ran)."""
    with django_capture_on_commit_callbacks(execute=True):
        finish(enrolled, course)
    return Enrolment.objects.get(user=enrolled, course=course)


def page_of(client, user, course):
    client.force_login(user)
    return client.get(completion_url(course))


def test_passing_the_last_quiz_leads_to_the_completion_page(
    client, enrolled, course, django_capture_on_commit_callbacks
):
    lesson = quiz_lesson(course)
    for item in services.course_lessons(course)[:2]:
        services.mark_lesson_done(enrolled, LessonPage.objects.get(pk=item.pk))
    client.force_login(enrolled)
    data = {"action": "quiz", "quiz": quiz_block(lesson).id, "token": token()}
    data |= {f"q-{q}": c for q, c in answers(lesson).items()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(lesson.url, data)
    assert response.status_code == 302 and response["Location"] == completion_url(course)
    html = client.get(response["Location"]).content.decode()
    assert "Congratulations, you completed “Opportunities”" in html


def test_marking_the_last_lesson_done_leads_to_the_completion_page(client, enrolled, course):
    lesson = quiz_lesson(course)
    services.submit_quiz(enrolled, lesson, quiz_block(lesson).id, answers(lesson), token(5))
    lessons = services.course_lessons(course)
    for item in lessons[1:]:
        services.mark_lesson_done(enrolled, LessonPage.objects.get(pk=item.pk))
    client.force_login(enrolled)
    response = client.post(lessons[0].url, {"action": "done"})
    assert response["Location"] == completion_url(course)


def test_a_step_that_does_not_complete_the_course_goes_to_the_next_lesson(client, enrolled, course):
    first, second = services.course_lessons(course)[:2]
    client.force_login(enrolled)
    response = client.post(first.url, {"action": "done"})
    assert response["Location"] == second.url


def test_the_page_offers_the_credential_and_its_download(client, finished_with_badge, course):
    award = finished_with_badge.award
    html = page_of(client, finished_with_badge.user, course).content.decode()
    assert "you completed this course" in html
    assert reverse("credentials:award", kwargs={"public_id": award.public_id}) in html
    assert reverse("credentials:award_png3", kwargs={"public_id": award.public_id}) in html
    assert course.badge_class.name in html


def test_a_private_credential_is_offered_to_be_made_public_before_sharing(
    client, finished_with_badge, course
):
    award = finished_with_badge.award
    assert not award.is_public
    html = page_of(client, finished_with_badge.user, course).content.decode()
    visibility = reverse("credentials_manage:award_visibility", args=[award.public_id])
    assert f'action="{visibility}"' in html and "Make it public to share" in html
    assert "linkedin.com" not in html  # LinkedIn could not open a private credential


def test_making_it_public_comes_back_here_with_linkedin_and_the_link(
    client, finished_with_badge, course
):
    award = finished_with_badge.award
    client.force_login(finished_with_badge.user)
    response = client.post(
        reverse("credentials_manage:award_visibility", args=[award.public_id]),
        {"visibility": "public", "next": completion_url(course)},
    )
    assert response["Location"] == completion_url(course)
    html = client.get(completion_url(course)).content.decode()
    assert "https://www.linkedin.com/profile/add?" in html
    assert "Copy link" in html and str(award.public_id) in html


def test_a_badge_still_being_issued_says_so_and_offers_a_refresh(client, enrolled, course):
    finish(enrolled, course)  # on-commit callbacks do not run: the award is not made yet
    html = page_of(client, enrolled, course).content.decode()
    assert "Your badge is being issued" in html and "<progress" in html
    assert f'href="{completion_url(course)}">Refresh</a>' in html


def test_a_badge_waiting_for_approval_is_on_its_way(
    client, enrolled, course, django_capture_on_commit_callbacks
):
    course.badge_approval.delete()
    course.__dict__.pop("badge_approval", None)
    with django_capture_on_commit_callbacks(execute=True):
        finish(enrolled, course)
    html = page_of(client, enrolled, course).content.decode()
    assert "Your badge is on its way" in html and "being issued" not in html


def test_a_course_without_a_badge_celebrates_the_completion_alone(client, learner, catalogue):
    plain = build_course(catalogue, "no-badge", title="No badge here")
    services.enrol(learner, plain)
    finish(learner, plain)
    html = page_of(client, learner, plain).content.decode()
    assert "This course awards no badge" in html
    assert "you completed this course" in html


def test_a_revoked_badge_is_shown_as_revoked(client, finished_with_badge, course):
    from credentials.services import revoke

    revoke(finished_with_badge.award, "Awarded in error.", by=None)
    html = page_of(client, finished_with_badge.user, course).content.decode()
    assert "Your badge was revoked" in html and "Awarded in error." in html
    assert "linkedin" not in html.lower()


def test_the_next_course_is_recommended(client, finished_with_badge, course, other_course):
    html = page_of(client, finished_with_badge.user, course).content.decode()
    assert "What to learn next" in html and f'href="{other_course.url}"' in html


def test_a_course_building_on_this_one_is_recommended_first(
    client, finished_with_badge, course, other_course, catalogue
):
    follow_up = build_course(catalogue, "follow-up", title="Follow-up")
    follow_up.prerequisites.add(course)
    follow_up.save()
    [first, *_] = services.recommended_courses(finished_with_badge.user, after=course)
    assert first == CoursePage.objects.get(pk=follow_up.pk)


def test_courses_taken_are_not_recommended(finished_with_badge, course, other_course):
    services.enrol(finished_with_badge.user, other_course)
    assert services.recommended_courses(finished_with_badge.user, after=course) == []


def test_with_nothing_left_to_take_the_page_says_what_to_do(client, finished_with_badge, course):
    html = page_of(client, finished_with_badge.user, course).content.decode()
    assert "You have taken every course in the catalogue" in html
    assert reverse("mentoring:finder") in html


def test_an_unfinished_course_has_no_completion_page(client, enrolled, course):
    response = page_of(client, enrolled, course)
    assert response.status_code == 404 and course.title not in response.content.decode()


def test_another_learner_cannot_see_my_completion(client, finished_with_badge, course, make_user):
    other = make_user("mallory@example.org", roles.LEARNERS)
    response = page_of(client, other, course)
    assert response.status_code == 404
    assert str(finished_with_badge.award.public_id) not in response.content.decode()


def test_visitors_are_asked_to_log_in(client, course):
    response = client.get(completion_url(course))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_course_is_not_found(client, learner):
    client.force_login(learner)
    assert client.get(reverse("learning:completed", args=[999999])).status_code == 404


def test_the_page_only_answers_get(client, finished_with_badge, course):
    client.force_login(finished_with_badge.user)
    assert client.post(completion_url(course)).status_code == 405


def test_the_dashboard_links_a_completed_course_to_its_page(client, finished_with_badge, course):
    client.force_login(finished_with_badge.user)
    html = client.get(reverse("learning:dashboard")).content.decode()
    assert f'href="{completion_url(course)}"' in html


def test_the_award_the_page_shows_is_the_learners_own(client, finished_with_badge, course):
    shown = page_of(client, finished_with_badge.user, course).context["completion"].award
    assert shown == Award.objects.get(recipient=finished_with_badge.user)


def test_the_title_of_an_unpublished_course_does_not_leak_by_its_id(client, catalogue, learner):
    secret = build_course(catalogue, "stealth", title="Stealth Launch Plans")
    secret.unpublish()
    response = page_of(client, learner, secret)
    assert response.status_code == 404
    assert "Stealth Launch Plans" not in response.content.decode()
    follow = client.get(reverse("learning:dashboard")).content.decode()  # no flash message
    assert "Stealth Launch Plans" not in follow


def test_a_refused_report_does_not_name_the_course(client, learner, course):
    client.force_login(learner)
    for name in ("report", "report_reflections"):
        response = client.get(reverse(f"learning:{name}", args=[course.pk]))
        assert response.status_code == 403 and course.title not in response.content.decode()
    with pytest.raises(PermissionError) as refused:
        services.course_report(course, learner)
    assert course.title not in str(refused.value)
