"""The errors the learning services raise: each says, in words a learner can read, why."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from learning.models import CoursePage


class LearningError(Exception):
    """Something a learner tried that cannot be done, with a reason a person can read."""


class PrerequisitesMissing(LearningError):
    def __init__(self, missing: list[CoursePage]):
        self.missing = missing
        titles = ", ".join(f"“{course.title}”" for course in missing)
        super().__init__(
            _("Complete %(titles)s first: this course builds on it.") % {"titles": titles}
        )


class QuizInputError(LearningError):
    """The submitted answers cannot be graded; ``errors`` maps question ids to messages."""

    def __init__(self, message: str, errors: Mapping[str, str] | None = None):
        self.errors = dict(errors or {})
        super().__init__(message)
