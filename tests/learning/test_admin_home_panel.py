"""The Wagtail admin home shows editors and course staff, per course they report on, recent
enrolments and completions and learners asking for another attempt, with links to the report
and the editor — and nothing of a course they may not report on."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.urls import reverse
from django.utils import timezone

from cms import roles
from learning import services
from learning.models import Enrolment
from learning.services.admin_home import admin_home
from tests.credentials.second_factor_support import login_with_second_factor
from tests.learning.conftest import answers, build_course, finish, quiz_block, quiz_lesson, token

pytestmark = pytest.mark.django_db

PANEL = 'id="learning-courses'


@pytest.fixture
def course_activity(course, enrolled, make_user):
    """On ``course``: Lena used both quiz attempts and asks for another; Omar completed it;
    Ines enrolled two months ago and was not seen since."""
    lesson = quiz_lesson(course)
    quiz_id = quiz_block(lesson).id
    for n in (1, 2):
        services.submit_quiz(enrolled, lesson, quiz_id, answers(lesson, False), token(n))
    services.request_another_attempt(enrolled, lesson, quiz_id)
    omar = make_user("omar@example.org", roles.LEARNERS, display_name="Omar")
    services.enrol(omar, course)
    finish(omar, course)
    ines = make_user("ines@example.org", roles.LEARNERS, display_name="Ines")
    services.enrol(ines, course)
    long_ago = timezone.now() - timedelta(days=60)
    Enrolment.objects.filter(user=ines).update(enrolled_at=long_ago, last_activity_at=long_ago)
    return course


def admin_page(client, user, second_factor: bool = False) -> str:
    """The admin home as ``user`` sees it, given the admin as editors have it."""
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    if second_factor:
        login_with_second_factor(client, user)
    else:
        client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_editor_sees_each_course_with_its_activity_requests_and_links(
    client, editor, course_activity
):
    home = admin_home(editor)
    [row] = home.courses
    assert (row.enrolled_recently, row.completed_recently) == (2, 1)
    assert (row.in_progress, row.completed, row.waiting) == (2, 1, 1)
    assert row.editable

    page = admin_page(client, editor)
    assert PANEL in page
    assert course_activity.title in page
    assert "1 learner asks for another attempt" in page
    assert reverse("learning:report", args=[course_activity.pk]) + "#requests-title" in page
    assert reverse("wagtailadmin_pages:edit", args=[course_activity.pk]) in page
    assert reverse("learning:reports") in page
    assert "no learners yet" not in page


def test_course_staff_see_their_course_but_no_edit_link(client, course_staff, course_activity):
    page = admin_page(client, course_staff, second_factor=True)
    assert course_activity.title in page
    assert reverse("learning:report", args=[course_activity.pk]) in page
    assert reverse("wagtailadmin_pages:edit", args=[course_activity.pk]) not in page


def test_staff_of_another_institution_see_none_of_our_courses(
    client, elsewhere_staff, other_course, course_activity
):
    home = admin_home(elsewhere_staff)
    assert [row.course.pk for row in home.courses] == [other_course.pk]
    page = admin_page(client, elsewhere_staff, second_factor=True)
    assert other_course.title in page
    assert course_activity.title not in page
    assert reverse("learning:report", args=[course_activity.pk]) not in page
    assert "another attempt" not in page


def test_learners_and_visitors_get_no_panel_and_no_admin(client, enrolled, course_activity):
    assert not admin_home(enrolled).shown
    assert not admin_home(AnonymousUser()).shown
    assert not admin_home(None).shown
    anonymous = client.get(reverse("wagtailadmin_home"))
    assert anonymous.status_code == 302 and course_activity.title not in anonymous.content.decode()
    client.force_login(enrolled)
    refused = client.get(reverse("wagtailadmin_home"))
    assert refused.status_code in (302, 403)  # Wagtail sends people without the admin away
    assert course_activity.title not in refused.content.decode()
    assert PANEL not in refused.content.decode()


def test_an_editor_with_no_course_is_told_how_to_create_one(client, editor):
    home = admin_home(editor)
    assert home.courses == [] and home.shown
    page = admin_page(client, editor)
    assert PANEL in page
    assert "No courses yet — create one under Pages" in page
    assert reverse("wagtailadmin_explore_root") in page


def test_staff_of_an_institution_without_courses_and_no_editing_rights_get_no_panel(
    client, elsewhere_staff
):
    assert not admin_home(elsewhere_staff).shown
    assert PANEL not in admin_page(client, elsewhere_staff, second_factor=True)


def test_only_the_most_active_courses_are_listed_and_the_rest_counted(
    editor, catalogue, course_activity
):
    for n in range(4):
        build_course(catalogue, f"quiet-{n}", title=f"Quiet course {n}")
    home = admin_home(editor, shown=3)
    assert home.courses[0].course.pk == course_activity.pk  # the one with activity comes first
    assert len(home.courses) == 3 and home.total_courses == 5 and home.more == 2
    assert home.courses[1].last_activity is None  # a quiet course: "no learners yet"


def test_the_panel_reads_a_fixed_number_of_queries(
    editor, catalogue, course_activity, make_user, django_assert_max_num_queries
):
    def measured() -> int:
        fresh = type(editor).objects.get(pk=editor.pk)  # no permission cache carried over
        with django_assert_max_num_queries(8) as captured:
            home = admin_home(fresh)
        assert home.courses
        return len(captured)

    few = measured()
    busy = make_user("busy@example.org", roles.LEARNERS)
    for n in range(6):
        services.enrol(busy, build_course(catalogue, f"busy-{n}", title=f"Busy course {n}"))
    assert measured() == few
