"""Fixtures for the learning tests: a catalogue, a co-created course, and the people around it."""

import pytest

from cms import roles
from credentials.models import ApprovalRequest, BadgeClass, Competency, Issuer
from credentials.services import approvals
from learning import demo, services
from learning.models import CoursePage, LessonPage
from tests.credentials import factories

QUIZ = {
    "title": "Final quiz",
    "intro": "",
    "pass_mark": 100,
    "max_attempts": 2,
    "graded": True,
    "questions": [
        {
            "text": "Which is evidence of a need?",
            "kind": "single",
            "choices": [
                {"text": "A daily workaround", "correct": True, "feedback": "FEEDBACK-RIGHT"},
                {"text": "A vague wish", "correct": False, "feedback": "FEEDBACK-WRONG"},
            ],
            "explanation": "EXPLANATION-BEHAVIOUR",
        },
        {
            "text": "Which belong in a problem statement?",
            "kind": "multiple",
            "choices": [
                {"text": "Who", "correct": True, "feedback": ""},
                {"text": "Cost", "correct": True, "feedback": ""},
                {"text": "Solution", "correct": False, "feedback": ""},
            ],
            "explanation": "",
        },
    ],
}


def make_issuer(slug: str, kind=Issuer.Kind.UNIVERSITY) -> Issuer:
    return factories.make_issuer(slug, kind=kind, country="NL")


def make_badge(issuer: Issuer, slug: str = "course-badge", **extra) -> BadgeClass:
    fields = {"description": "Completed a co-created course.", "criteria_narrative": "Complete it."}
    return factories.make_badge(issuer, slug, **(fields | extra))


def add_lesson(course: CoursePage, slug: str, body=None, **extra) -> LessonPage:
    lesson = LessonPage(slug=slug, title=slug.replace("-", " ").title(), body=body or [], **extra)
    course.add_child(instance=lesson)  # new pages are live; tests need no revision history
    return LessonPage.objects.get(pk=lesson.pk)


def build_course(
    catalogue, slug="opportunities", *, institutions=(), badge=None, badge_approved=True, **extra
):
    """A published course with three lessons: text, reflection, and a graded quiz.

    Its badge's institution approved it awarding the badge, unless ``badge_approved=False``."""
    course = CoursePage(
        slug=slug,
        title=extra.pop("title", slug.replace("-", " ").title()),
        summary=extra.pop("summary", "Find problems worth solving with industry."),
        badge_class=badge,
        **extra,
    )
    course.institutions = list(institutions)
    catalogue.add_child(instance=course)
    course = CoursePage.objects.get(pk=course.pk)
    if badge is not None and badge_approved:
        approvals.preapprove(
            ApprovalRequest.Kind.COURSE_BADGE,
            badge.issuer,
            course.pk,
            label=course.title,
            badge=badge,
        )
    add_lesson(course, f"{slug}-intro", [("text", "<p>LESSON-ONE-BODY value chains</p>")])
    add_lesson(
        course,
        f"{slug}-reflect",
        [
            ("text", "<p>Interviews</p>"),
            ("reflection", {"prompt": "Where does value leak?", "guidance": "", "required": False}),
        ],
    )
    add_lesson(course, f"{slug}-quiz", [("text", "<p>Prioritise</p>"), ("quiz", QUIZ)])
    return course


def quiz_lesson(course: CoursePage) -> LessonPage:
    return LessonPage.objects.child_of(course).get(slug__endswith="-quiz")


def quiz_block(lesson: LessonPage):
    return lesson.quiz_blocks()[0]


def answers(lesson: LessonPage, right: bool = True) -> dict[str, list[str]]:
    """Answers to the lesson's quiz, all right or all wrong."""
    result = {}
    for question_id, question in services.quiz_questions(quiz_block(lesson).value):
        choices = services.question_choices(question)
        correct = [cid for cid, choice in choices if choice["correct"]]
        wrong = [cid for cid, choice in choices if not choice["correct"]]
        result[question_id] = correct if right else wrong[:1]
    return result


def token(n: int = 1) -> str:
    return f"test-token-{n:06d}-abcdef"


def finish(user, course: CoursePage) -> None:
    """Do everything the course asks: pass the quiz, mark every lesson done."""
    lesson = quiz_lesson(course)
    services.submit_quiz(user, lesson, quiz_block(lesson).id, answers(lesson), token(999))
    for item in services.course_lessons(course):
        services.mark_lesson_done(user, LessonPage.objects.get(pk=item.pk))


@pytest.fixture
def catalogue(bare_home_page):
    return demo.seed_catalogue(bare_home_page)


@pytest.fixture
def course_issuer(db):
    return make_issuer("northbridge-test")


@pytest.fixture
def partner(db):
    return make_issuer("helix-test", Issuer.Kind.COMPANY)


@pytest.fixture
def elsewhere(db):
    return make_issuer("elsewhere-test")


@pytest.fixture
def course_badge(course_issuer):
    return make_badge(course_issuer)


@pytest.fixture
def course(catalogue, course_issuer, partner, course_badge):
    course = build_course(
        catalogue, institutions=[course_issuer, partner], badge=course_badge, eqf_level=6
    )
    course.competences.add(Competency.objects.get(framework__code="entrecomp", code="1.1"))
    course.save()
    return CoursePage.objects.get(pk=course.pk)


@pytest.fixture
def other_course(catalogue, elsewhere):
    return build_course(catalogue, "teamwork", institutions=[elsewhere], language="de")


@pytest.fixture
def enrolled(learner, course):
    services.enrol(learner, course)
    return learner


@pytest.fixture
def olaf(make_user, other_course):
    user = make_user("olaf@example.org", roles.LEARNERS, display_name="Olaf")
    services.enrol(user, other_course)
    return user


@pytest.fixture
def locked_out(enrolled, course):
    """Lena used both attempts at the final quiz and failed; returns her enrolment."""
    lesson = quiz_lesson(course)
    for n in (1, 2):
        services.submit_quiz(
            enrolled, lesson, quiz_block(lesson).id, answers(lesson, False), token(n)
        )
    return services.enrolment_of(enrolled, course)


@pytest.fixture
def course_staff(make_user, course_issuer):
    user = make_user("staff@northbridge-test.example", roles.ISSUER_STAFF)
    course_issuer.staff.add(user)
    return user


@pytest.fixture
def elsewhere_staff(make_user, elsewhere):
    user = make_user("staff@elsewhere-test.example", roles.ISSUER_STAFF)
    elsewhere.staff.add(user)
    return user


@pytest.fixture
def editor(make_user, catalogue):
    return make_user("editor@example.org", roles.EDITORS, is_staff=True)


@pytest.fixture
def bare_home_page(db):
    """Just the home page (the site's root): the learning tests need no other pages."""
    from cms.services import ensure_home_page

    return ensure_home_page(hero_title="Learn together", hero_intro="Courses and badges.")
