"""Progress: one computation of the percentage and the words that explain it."""

from types import SimpleNamespace

from learning.services.progress import CourseProgress


def course_with(requires_all_lessons=True, requires_quizzes_passed=True, sessions=0):
    return SimpleNamespace(
        requires_all_lessons=requires_all_lessons,
        requires_quizzes_passed=requires_quizzes_passed,
        required_mentoring_sessions=sessions,
    )


def lessons(count, quiz_at=()):
    return [
        SimpleNamespace(pk=n, graded_quizzes=["quiz"] if n in quiz_at else [])
        for n in range(1, count + 1)
    ]


def test_the_percentage_is_the_steps_the_summary_names():
    progress = CourseProgress(
        course_with(), lessons(4, quiz_at={4}), done_lesson_ids={1, 2}, passed_quizzes=set()
    )
    assert progress.summary == "2 of 4 lessons · 0 of 1 graded quiz"
    assert progress.percent == 40  # (2 + 0) / (4 + 1)


def test_mentoring_sessions_count_as_steps_too():
    progress = CourseProgress(
        course_with(requires_quizzes_passed=False, sessions=2),
        lessons(2),
        done_lesson_ids={1, 2},
        passed_quizzes=set(),
        mentoring_done=5,
    )
    assert progress.summary == "2 of 2 lessons · 2 of 2 mentoring sessions"
    assert progress.percent == 100


def test_almost_done_never_rounds_up_to_100():
    progress = CourseProgress(
        course_with(requires_quizzes_passed=False),
        lessons(200),
        done_lesson_ids=set(range(1, 200)),
        passed_quizzes=set(),
    )
    assert progress.percent == 99


def test_a_completed_enrolment_is_100_and_says_completed():
    progress = CourseProgress(
        course_with(), lessons(4), done_lesson_ids={1}, passed_quizzes=set(), completed=True
    )
    assert (progress.percent, progress.summary) == (100, "Completed")


def test_no_requirement_is_0_percent_not_an_error():
    progress = CourseProgress(
        course_with(requires_all_lessons=False, requires_quizzes_passed=False),
        [],
        done_lesson_ids=set(),
        passed_quizzes=set(),
    )
    assert (progress.percent, progress.summary) == (0, "")
