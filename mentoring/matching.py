"""Read what a learner is learning, defensively: the learning app is optional to mentoring.

Learning enrols users in course pages that have a ``competences`` relation to
``credentials.Competency``. The enrolment model is found by its shape (a foreign key to the user
and one to a model with ``competences``), so this keeps working whatever learning names it, and
returns nothing when learning has no such model yet.
"""

from __future__ import annotations

import logging
from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError

logger = logging.getLogger(__name__)

ENROLMENT_MODEL_NAMES = ("Enrolment", "Enrollment", "CourseEnrolment", "CourseEnrollment")


@cache
def _enrolment_shape() -> tuple[type, str, str] | None:
    """(model, user field name, course field name) or None."""
    for name in ENROLMENT_MODEL_NAMES:
        try:
            model = apps.get_model("learning", name)
        except LookupError:
            continue
        user_field = course_field = None
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if not getattr(field, "many_to_one", False) or related is None:
                continue
            if related._meta.label == settings.AUTH_USER_MODEL and user_field is None:
                user_field = field.name
            elif hasattr(related, "competences") and course_field is None:
                course_field = field.name
        if user_field and course_field:
            return model, user_field, course_field
    return None


def course_competences(user) -> dict[int, list[str]]:
    """Competency id → titles of the learner's courses aligned to it (empty if unknown)."""
    shape = _enrolment_shape()
    if shape is None or not user.is_authenticated:
        return {}
    model, user_field, course_field = shape
    found: dict[int, list[str]] = {}
    try:
        enrolments = model.objects.filter(**{user_field: user}).select_related(course_field)
        courses = [getattr(e, course_field) for e in enrolments]
        for course in courses:
            for competency in course.competences.all():
                found.setdefault(competency.pk, []).append(str(course.title))
    except (DatabaseError, AttributeError, ValueError):  # learning mid-migration
        logger.warning("Could not read the learner's course competences", exc_info=True)
        return {}
    return found


def course_competence_ids(course_page) -> set[int]:
    try:
        return set(course_page.competences.values_list("pk", flat=True))
    except (AttributeError, ValueError):
        return set()
