"""A large data set for query-count tests and ``bench/pages.py``: 200 courses, 5,000 enrolments.

Pages are added with treebeard like an editor would (no revisions); enrolments, progress and
quiz attempts are bulk-inserted.
"""

import itertools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from cms.services import ensure_home_page
from credentials.models import ApprovalRequest, BadgeClass, Competency, Issuer
from learning import demo
from learning.models import (
    CourseCatalogPage,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    QuizAttempt,
)

QUIZ = {
    "title": "Final quiz",
    "pass_mark": 50,
    "max_attempts": 3,
    "graded": True,
    "questions": [
        {
            "text": f"Question {n}",
            "kind": "single",
            "choices": [
                {"text": "Right", "correct": True, "feedback": "Yes"},
                {"text": "Wrong", "correct": False, "feedback": "No"},
            ],
        }
        for n in range(4)
    ],
}


@dataclass
class Scale:
    catalogue: CourseCatalogPage
    courses: list[CoursePage]
    learner: object  # enrolled in many courses, progress in each
    course: CoursePage  # the course whose pages are measured
    lesson: LessonPage  # its quiz lesson


def build(courses: int = 200, enrolments: int = 5000, learner_courses: int = 25) -> Scale:
    home = ensure_home_page(hero_title="Learn together", hero_intro="Courses and badges.")
    catalogue = demo.seed_catalogue(home)
    issuer = Issuer.objects.create(
        slug="scale-uni",
        name="Scale University",
        kind=Issuer.Kind.UNIVERSITY,
        url="https://scale.example",
        email="info@scale.example",
        country="NL",
    )
    badge = BadgeClass.objects.create(
        issuer=issuer,
        slug="scale-badge",
        name="Scale badge",
        description="Scale",
        criteria_narrative="Complete",
        status=BadgeClass.Status.PUBLISHED,
    )
    competences = list(Competency.objects.order_by("pk")[:12])
    made = []
    for n in range(courses):
        course = CoursePage(
            title=f"Course {n:03d} on opportunities",
            slug=f"course-{n:03d}",
            summary="Spotting opportunities with industry partners, at scale.",
            eqf_level=5 + n % 3,
            workload_hours=8 + n % 5,
            language=["en", "de", "fr"][n % 3],
            course_format=["online", "blended", "onsite"][n % 3],
            badge_class=badge,
        )
        course.competences = competences[n % 12 : n % 12 + 2]
        course.institutions = [issuer]
        catalogue.add_child(instance=course)
        for number, body in enumerate([[("text", "<p>Read</p>")], [("quiz", QUIZ)]]):
            course.add_child(
                instance=LessonPage(
                    title=f"Lesson {number + 1}", slug=f"lesson-{number + 1}", body=body
                )
            )
        made.append(course)
    now = timezone.now()  # every course's badge approved by its institution
    ApprovalRequest.objects.bulk_create(
        ApprovalRequest(
            kind=ApprovalRequest.Kind.COURSE_BADGE, issuer=issuer, subject_id=c.pk,
            badge_class=badge, subject_label=c.title, state=ApprovalRequest.State.APPROVED,
            requested_at=now, decided_at=now,
        )
        for c in made
    )  # fmt: skip
    User = get_user_model()
    password = make_password(None)
    people = User.objects.bulk_create(
        User(email=f"learner{n:04d}@scale.example", password=password, display_name=f"L{n}")
        for n in range(enrolments // learner_courses)
    )
    learner = people[0]
    rows = []
    pairs = itertools.product(people, made[:learner_courses])
    for user, course in itertools.islice(pairs, enrolments):
        rows.append(Enrolment(user=user, course=course))
    created = Enrolment.objects.bulk_create(rows)
    lessons = {
        (lesson.path[: -LessonPage.steplen], lesson.slug): lesson
        for lesson in LessonPage.objects.all()
    }
    by_course_path = {course.pk: course.path for course in made}
    progress, attempts = [], []
    for index, enrolment in enumerate(created):
        course_path = by_course_path[enrolment.course_id]
        quiz_lesson = lessons[(course_path, "lesson-2")]
        progress.append(
            LessonProgress(enrolment=enrolment, lesson=lessons[(course_path, "lesson-1")])
        )
        attempts.append(
            QuizAttempt(
                enrolment=enrolment,
                lesson=quiz_lesson,
                quiz_id=quiz_lesson.graded_quizzes[0],
                number=1,
                answers={},
                results={},
                correct=index % 5,
                total=4,
                score=25 * (index % 5),
                pass_mark=50,
                passed=index % 5 >= 2,
                token=f"scale-token-{index:08d}",
            )
        )
    LessonProgress.objects.bulk_create(progress)
    QuizAttempt.objects.bulk_create(attempts)
    course = made[0]
    lesson = LessonPage.objects.child_of(course).get(slug="lesson-2")
    return Scale(catalogue, made, learner, course, lesson)
