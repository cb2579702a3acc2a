"""Who may do what: open a course's lessons, edit a course, see its report."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.permission_policies.pages import PagePermissionPolicy

from credentials.services import issuers_for
from learning.models import CoursePage, Enrolment

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
        return CoursePage.objects.all()
    editable = PagePermissionPolicy(CoursePage).instances_user_has_any_permission_for(
        user, {"change"}
    )
    own = Q(institutions__in=issuers_for(user)) | Q(badge_class__issuer__in=issuers_for(user))
    return CoursePage.objects.filter(own | Q(pk__in=editable.values("pk"))).distinct()


def can_view_report(user: AnyUser, course: CoursePage) -> bool:
    return reportable_courses(user).filter(pk=course.pk).exists()
