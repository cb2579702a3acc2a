"""The catalogue's course cards, rendered once for everyone and kept in the shared cache.

Half of the catalogue's time went to rendering a card per course for every visitor, signed in
or not. A card's body (cover, facts, badge, institutions, competences) is the same for
everyone; the visitor's own status is added around it by ``course_card.html``, never inside.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from credentials.services import badges_in_language
from lib import pagecache, translations

from . import services

# A card shows pages (the course, its cover image) and what institutions publish.
SHOWN = (pagecache.PAGES, pagecache.CREDENTIALS)


@dataclass(frozen=True)
class CourseCard:
    pk: int
    title: str
    url: str
    body: str  # rendered HTML, the same for everyone


def course_cards(ids: list[int]) -> list[CourseCard]:
    """The cards of these courses, in this order: from the shared cache while no page and
    nothing institutions publish changed since (cms/receivers.py bumps those tags), else
    rendered and kept (lib.pagecache.fragments)."""
    language = translation.get_language() or ""
    names = {pk: f"course-card:{pk}:{language}" for pk in ids}

    def make(missing: list[str]) -> dict[str, dict]:
        wanted = [pk for pk, name in names.items() if name in missing]
        courses = translations.in_language_many(services.courses_for_cards(wanted))
        # Each badge in the reader's language where its institution wrote an edition in it.
        with_badge = [course for course in courses if course.badge_class_id]
        shown = badges_in_language(course.badge_class for course in with_badge)
        for course, badge in zip(with_badge, shown, strict=True):
            course.badge_class = badge
        return {
            names[course.pk]: {
                "pk": course.pk,
                "title": course.title,
                "url": course.url,
                "body": render_to_string(
                    "learning/includes/course_card_body.html", {"course": course}
                ),
            }
            for course in courses
        }

    made = pagecache.fragments(list(names.values()), SHOWN, make)
    return [
        CourseCard(**{**made[names[pk]], "body": mark_safe(made[names[pk]]["body"])})  # noqa: S308 - our own template's output
        for pk in ids
        if names[pk] in made
    ]
