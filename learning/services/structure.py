"""A course's structure: its lessons in editor order, their modules, the blocks of a lesson."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models.functions import Length, Substr
from wagtail.blocks import StreamValue

from learning.models import CoursePage, LessonPage


def course_of(lesson: LessonPage) -> CoursePage:
    """The course a lesson belongs to, in one query."""
    return CoursePage.objects.get(path=lesson.path[: -LessonPage.steplen])


def course_lessons(course: CoursePage) -> list[LessonPage]:
    """The published lessons of a course in editor order, without their bodies."""
    return list(LessonPage.objects.live().child_of(course).defer_streamfields().order_by("path"))


def lessons_by_course(courses: Iterable[CoursePage]) -> dict[int, list[LessonPage]]:
    """Published lessons (without bodies) of many courses, in one query."""
    courses = list(courses)
    result: dict[int, list[LessonPage]] = {course.pk: [] for course in courses}
    if not courses:
        return result
    by_path = {course.path: course.pk for course in courses}
    # One condition whatever the number of courses (an OR per course costs more to build
    # and compile than to run): the lesson's parent path is one of the courses' paths, under
    # the part of the tree those courses share.
    lessons = (
        LessonPage.objects.live()
        .filter(
            depth__in={course.depth + 1 for course in courses},
            path__startswith=os.path.commonprefix(list(by_path)),
        )
        .alias(parent_path=Substr("path", 1, Length("path") - LessonPage.steplen))
        .filter(parent_path__in=list(by_path))
        .defer_streamfields()
        .order_by("path")
    )
    for lesson in lessons:
        result[by_path[lesson.path[: -LessonPage.steplen]]].append(lesson)
    return result


@dataclass
class Module:
    title: str
    lessons: list[LessonPage] = field(default_factory=list)


def modules(lessons: list[LessonPage]) -> list[Module]:
    """Group consecutive lessons under their module heading (an empty heading stays untitled)."""
    grouped: list[Module] = []
    for lesson in lessons:
        if not grouped or grouped[-1].title != lesson.module:
            grouped.append(Module(lesson.module))
        grouped[-1].lessons.append(lesson)
    return grouped


def find_block(
    lesson: LessonPage, block_id: str, block_type: str
) -> StreamValue.StreamChild | None:
    """The block of ``lesson``'s body with this id and type, if there is one."""
    for block in lesson.body:
        if block.id == block_id and block.block_type == block_type:
            return block
    return None
