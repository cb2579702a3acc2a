"""The course catalogue: filters, Wagtail search (of courses and their lessons), the cards
of the courses found, and the courses to recommend next."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from credentials.models import Competency, Issuer
from learning.models import CoursePage, Enrolment, LessonPage
from learning.services.access import AnyUser
from lib.translations import in_source_tree


@dataclass
class CatalogueQuery:
    q: str = ""
    framework: str = ""
    competence: int | None = None
    level: int | None = None
    language: str = ""
    course_format: str = ""
    institution: str = ""


def catalogue_ids(query: CatalogueQuery) -> list[int]:
    """Ids of the published courses matching the filters: by title, or by relevance when
    searching (Wagtail search). Cheap whatever the number of courses: no objects are built.
    A course behind a Wagtail privacy setting is not listed."""
    courses = in_source_tree(CoursePage.objects.live().public())
    if query.framework:
        courses = courses.filter(competences__framework__code=query.framework)
    if query.competence:
        courses = courses.filter(competences=query.competence)
    if query.level:
        courses = courses.filter(eqf_level=query.level)
    if query.language:
        courses = courses.filter(language=query.language)
    if query.course_format:
        courses = courses.filter(course_format=query.course_format)
    if query.institution:
        courses = courses.filter(institutions__slug=query.institution)
    ids = list(dict.fromkeys(courses.order_by("title").values_list("pk", flat=True)))
    if not query.q:
        return ids
    matching = set(ids)
    return [pk for pk in search_ids(query.q) if pk in matching]


def search_ids(text: str, limit: int = 500) -> list[int]:
    """Published course ids for a Wagtail search, most relevant first: courses whose own
    words match, then courses whose lessons' words (title, summary, module, body) match.

    Only published lessons that anyone may see count (not a draft, not one behind a page
    privacy setting), and only published public courses are returned, so a search reveals
    nothing that is not out in the open. Quizzes and reflection prompts are not indexed at all
    (``blocks``: their ``get_searchable_content`` is empty)."""
    courses = in_source_tree(CoursePage.objects.live().public())
    found = [page.pk for page in courses.only("pk").search(text)[:limit]]
    lessons = (
        in_source_tree(LessonPage.objects.live().public()).only("pk", "path").search(text)[:limit]
    )
    parents = list(dict.fromkeys(lesson.path[: -LessonPage.steplen] for lesson in lessons))
    if parents:
        by_path = dict(courses.filter(path__in=parents).values_list("path", "pk"))
        found += [by_path[path] for path in parents if path in by_path]
    return list(dict.fromkeys(found))[:limit]


def courses_for_cards(ids: list[int]) -> list[CoursePage]:
    """The catalogue cards of these courses, in this order, in a fixed number of queries."""
    courses = (
        CoursePage.objects.filter(pk__in=ids)
        .select_related("badge_class", "badge_class__issuer", "cover_image")
        .prefetch_related("institutions", "competences__framework", "cover_image__renditions")
        .defer_streamfields()
    )
    by_id = {course.pk: course for course in courses}
    return [by_id[pk] for pk in ids if pk in by_id]


def catalogue_courses(query: CatalogueQuery) -> list[CoursePage]:
    """Every matching course with its card data (for small catalogues and tests)."""
    return courses_for_cards(catalogue_ids(query))


def catalogue_options() -> dict:
    """What the catalogue filters offer: only values that some published course has."""
    competences = list(
        Competency.objects.filter(courses__live=True)
        .select_related("framework")
        .distinct()
        .order_by("framework__name", "code")
    )
    frameworks = {}
    for competence in competences:
        frameworks.setdefault(competence.framework.code, competence.framework)
    institutions = list(Issuer.objects.filter(courses__live=True).distinct().order_by("name"))
    return {
        "competences": competences,
        "frameworks": list(frameworks.values()),
        "institutions": institutions,
    }


def recommended_courses(
    user: AnyUser, after: CoursePage | None = None, limit: int = 3
) -> list[CoursePage]:
    """Published courses to take next, best first: courses that build on ``after`` (it is
    their prerequisite), then courses sharing its competences, then the newest. Never one the
    learner is taking or completed, nor ``after`` itself, nor one behind a Wagtail privacy
    setting; courses they left may come back."""
    courses = in_source_tree(CoursePage.objects.live().public())
    if user is not None and user.is_authenticated:
        courses = courses.exclude(
            pk__in=Enrolment.objects.filter(user=user)
            .exclude(status=Enrolment.Status.LEFT)
            .values("course_id")
        )
    if after is not None:
        courses = courses.exclude(pk=after.pk).annotate(
            builds_on=Count("prerequisites", filter=Q(prerequisites=after.pk), distinct=True),
            shared=Count(
                "competences",
                filter=Q(competences__in=after.competences.values("pk")),
                distinct=True,
            ),
        )
        order = ["-builds_on", "-shared", "-first_published_at", "pk"]
    else:
        order = ["-first_published_at", "pk"]
    return list(
        courses.select_related("badge_class", "cover_image")
        .defer_streamfields()
        .order_by(*order)[:limit]
    )
