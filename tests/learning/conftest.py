"""Fixtures for the learning tests: a catalogue, a co-created course, and the people around it."""

from dataclasses import dataclass, replace

import pytest
from django.core.cache import caches
from django.db import transaction
from wagtail.models import Page

from cms import roles
from credentials.models import ApprovalRequest, BadgeClass, Competency, Issuer
from credentials.services import approvals
from learning import demo, services
from learning.models import CourseCatalogPage, CoursePage, LessonPage
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


def build_home_page():
    from cms.services import ensure_home_page

    return ensure_home_page(hero_title="Learn together", hero_intro="Courses and badges.")


def build_shared_course(catalogue, course_issuer, partner, course_badge) -> CoursePage:
    """The ``course`` fixture's course: Northbridge's and Helix's, with a badge, at EQF 6."""
    course = build_course(
        catalogue, institutions=[course_issuer, partner], badge=course_badge, eqf_level=6
    )
    course.competences.add(Competency.objects.get(framework__code="entrecomp", code="1.1"))
    course.save()
    return CoursePage.objects.get(pk=course.pk)


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


# Building the home page, the catalogue and the course costs about 430 queries; most tests of a
# module start from the same ones. So they are built once per module, inside a transaction that
# rolls back when the module ends, and each test (a savepoint inside it) rolls back to them.
# A test is given only the layers it asks for (a test without the catalogue must not find one):
# ``learning_shared_world`` is parametrized, hidden from the tests' names, with how many of
# LAYERS each test asks for, and pytest groups a module's tests by it, building each group's
# layers once. A test that commits (live_server, transactional_db) builds everything itself.
LAYERS = ("bare_home_page", "catalogue", "course")


@dataclass(frozen=True)
class SharedWorld:
    """Primary keys of what the module's tests share; None where each test builds its own."""

    home: int | None = None
    catalogue: int | None = None
    course_issuer: int | None = None
    partner: int | None = None
    course_badge: int | None = None
    course: int | None = None


def shared_layers(definition, fixturenames) -> int:
    """How many of LAYERS the test asks for, in order; 0 if it commits."""
    from tests.conftest import database_order

    if database_order(definition) != 0:
        return 0
    return next((n for n, layer in enumerate(LAYERS) if layer not in fixturenames), len(LAYERS))


def pytest_generate_tests(metafunc):
    if "learning_shared_world" in metafunc.fixturenames:
        depth = shared_layers(metafunc.definition, metafunc.fixturenames)
        hidden = [pytest.HIDDEN_PARAM]  # the tests keep their names
        metafunc.parametrize(
            "learning_shared_world", [depth], indirect=True, scope="module", ids=hidden
        )


@pytest.fixture(scope="module")
def learning_shared_world(request, django_db_setup, django_db_blocker):
    """The layers a group of the module's tests share, built once and rolled back after them."""
    depth = getattr(request, "param", 0)
    if not depth:
        yield SharedWorld()
        return
    with django_db_blocker.unblock(), transaction.atomic():
        home = build_home_page()
        world = SharedWorld(home=home.pk)
        if depth >= 2:
            catalogue = demo.seed_catalogue(home)
            world = replace(world, catalogue=catalogue.pk)
        if depth >= 3:
            issuer = make_issuer("northbridge-test")
            partner = make_issuer("helix-test", Issuer.Kind.COMPANY)
            badge = make_badge(issuer)
            course = build_shared_course(catalogue, issuer, partner, badge)
            world = replace(
                world,
                course_issuer=issuer.pk,
                partner=partner.pk,
                course_badge=badge.pk,
                course=course.pk,
            )
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def learning_world(learning_shared_world, db):
    """The module's shared layers, for one test. The cache may hold what an earlier test of the
    module put in it (Wagtail's site root paths, cached pages): each test starts without it, as
    it did when it built its own home page."""
    if learning_shared_world.home is not None:
        caches["default"].clear()
    return learning_shared_world


@pytest.fixture
def catalogue(learning_world, bare_home_page):
    if learning_world.catalogue is not None:
        return CourseCatalogPage.objects.get(pk=learning_world.catalogue)
    return demo.seed_catalogue(bare_home_page)


@pytest.fixture
def course_issuer(learning_world, db):
    if learning_world.course_issuer is not None:
        return Issuer.objects.get(pk=learning_world.course_issuer)
    return make_issuer("northbridge-test")


@pytest.fixture
def partner(learning_world, db):
    if learning_world.partner is not None:
        return Issuer.objects.get(pk=learning_world.partner)
    return make_issuer("helix-test", Issuer.Kind.COMPANY)


@pytest.fixture
def elsewhere(db):
    return make_issuer("elsewhere-test")


@pytest.fixture
def course_badge(learning_world, course_issuer):
    if learning_world.course_badge is not None:
        return BadgeClass.objects.get(pk=learning_world.course_badge)
    return make_badge(course_issuer)


@pytest.fixture
def course(learning_world, catalogue, course_issuer, partner, course_badge):
    if learning_world.course is not None:
        return CoursePage.objects.get(pk=learning_world.course)
    return build_shared_course(catalogue, course_issuer, partner, course_badge)


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
def bare_home_page(learning_world, db):
    """Just the home page (the site's root): the learning tests need no other pages."""
    if learning_world.home is not None:
        return Page.objects.get(pk=learning_world.home).specific
    return build_home_page()
