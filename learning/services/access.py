"""Who may do what: open a course's lessons, edit a course, see its report, see learners' work."""

from __future__ import annotations

import enum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.permission_policies.pages import PagePermissionPolicy

from credentials.models import Issuer
from credentials.services import issuers_for
from learning.models import CoursePage, Enrolment, LessonPage
from lib.translations import in_source_tree

# Whoever a request carries: a user, or nobody logged in.
AnyUser = AbstractBaseUser | AnonymousUser | None


def is_active_user(user: AnyUser) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_edit_course(user: AnyUser, course: CoursePage) -> bool:
    """Editors: anyone whose Wagtail page permissions let them edit this course."""
    if not is_active_user(user):
        return False
    return PagePermissionPolicy(CoursePage).user_has_permission_for_instance(user, "change", course)


def can_open_lessons(user: AnyUser, course: CoursePage, enrolment: Enrolment | None = None) -> bool:
    """Lessons are served to enrolled learners (in progress or completed) and to editors."""
    if not is_active_user(user):
        return False
    if enrolment is not None:
        if enrolment.opens_lessons:
            return True
    elif Enrolment.objects.filter(
        user=user,
        course=course,
        status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED],
    ).exists():
        return True
    return can_edit_course(user, course)


def reportable_courses(user: AnyUser) -> QuerySet[CoursePage]:
    """Courses whose report ``user`` may see: their own institutions' courses, or any course
    their Wagtail permissions let them edit."""
    if not is_active_user(user):
        return CoursePage.objects.none()
    if user.is_superuser:
        return in_source_tree(CoursePage.objects.all())
    editable = PagePermissionPolicy(CoursePage).instances_user_has_any_permission_for(
        user, {"change"}
    )
    own = Q(institutions__in=issuers_for(user)) | Q(badge_class__issuer__in=issuers_for(user))
    courses = CoursePage.objects.filter(own | Q(pk__in=editable.values("pk")))
    return in_source_tree(courses).distinct()


def can_view_report(user: AnyUser, course: CoursePage) -> bool:
    return reportable_courses(user).filter(pk=course.pk).exists()


class LearnerWork(enum.Enum):
    """Whether someone may read learners' reflections and see or change their quiz attempts."""

    ALLOWED = "allowed"
    NEEDS_SECOND_FACTOR = "needs_second_factor"  # the course team, before using a second factor
    REFUSED = "refused"


def course_team(course: CoursePage) -> QuerySet[Issuer]:
    """The institutions whose staff are a course's "course team": the co-creating institutions
    and the issuer of its badge, by name."""
    team = Q(courses=course.pk)
    if course.badge_class_id:
        team |= Q(badge_classes__courses=course.pk)
    return Issuer.objects.filter(team).distinct().order_by("name")


def learner_work_access(
    user: AnyUser, course: CoursePage, *, second_factor_used: bool
) -> LearnerWork:
    """The rule for learners' own work in a course — their reflections (which learners are told
    only they and their course team see) and their quiz attempts (seeing them one learner at a
    time, granting one more, resetting): the staff of the course's own institutions, and
    superusers, each only after using a second factor in this session. Stricter than the course
    report: a Wagtail editor of the catalogue is not the course team."""
    if not is_active_user(user):
        return LearnerWork.REFUSED
    if not (user.is_superuser or issuers_for(user).filter(pk__in=course_team(course)).exists()):
        return LearnerWork.REFUSED
    return LearnerWork.ALLOWED if second_factor_used else LearnerWork.NEEDS_SECOND_FACTOR


def can_see_learner_work(user: AnyUser, course: CoursePage, *, second_factor_used: bool) -> bool:
    return learner_work_access(user, course, second_factor_used=second_factor_used) is (
        LearnerWork.ALLOWED
    )


def may_fetch_document(user: AnyUser, document) -> bool:
    """Whether a Wagtail document may be served to ``user``.

    A document a lesson uses (an uploaded video, its captions, a download) is the lesson's:
    served to whoever may open that lesson (enrolled learners, the course's editors). One
    lesson that lets the person in is enough; a document that a page other than a lesson also
    uses (a public page) is public; one that no page uses is left to Wagtail's own rules
    (collection privacy). Wagtail's reference index says which pages use a document."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex

    page_type = ContentType.objects.get_for_model(Page)
    sources = {
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    }
    if not sources:
        return True
    lesson_paths = []
    for page in Page.objects.filter(pk__in=sources).specific(defer=True):
        if not isinstance(page, LessonPage):
            return True
        lesson_paths.append(page.path[: -LessonPage.steplen])
    courses = CoursePage.objects.filter(path__in=lesson_paths)
    return any(can_open_lessons(user, course) for course in courses)
