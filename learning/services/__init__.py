"""The learning rules: enrolment, lesson access, quiz grading, progress and completion.

Views, tasks, the Wagtail admin and other apps (mentoring) call these functions; nothing else
changes an enrolment. Every state change is atomic, and anything a person can click twice
records once.

The rules live in the modules of this package, by concern:

- ``access``: who may open a course's lessons, edit a course, see its report, see learners'
  work (reflections, attempts: the course team with a second factor)
- ``structure``: a course's lessons, their modules, the blocks of a lesson
- ``progress``: where a learner stands against the course's completion rule
- ``enrolment``: enrolling, prerequisites, leaving
- ``lessons``: marking a lesson done, reflections
- ``quizzes``: grading on the server, attempts
- ``attempts``: how many tries a learner has at a quiz; staff granting one more or resetting
- ``attempt_emails``: the course team told of a request, the learner of a grant (once each)
- ``completion``: completing a course, and its badge (requested after commit through
  ``learning.signals.award_requested``, never by calling a task)
- ``catalogue``, ``dashboard``, ``reports``: what those pages show
- ``errors``: what the services raise, in words a learner can read

Modules of this package import each other directly, never this file; it only re-exports, so
that ``from learning import services`` and ``services.enrol(...)`` work for everyone else.
"""

from learning.services.access import (
    LearnerWork,
    can_edit_course,
    can_open_lessons,
    can_see_learner_work,
    can_view_report,
    course_team,
    learner_work_access,
    may_fetch_document,
    reportable_courses,
)
from learning.services.attempt_emails import (
    course_team_addresses,
    send_attempt_granted_email,
    send_attempt_request_email,
)
from learning.services.attempts import (
    Allowance,
    allowance_for,
    allowances_for,
    course_contacts,
    grant_one_more_attempt,
    open_request_counts,
    open_requests,
    request_another_attempt,
    reset_attempts,
)
from learning.services.catalogue import (
    CatalogueQuery,
    catalogue_courses,
    catalogue_ids,
    catalogue_options,
    courses_for_cards,
    recommended_courses,
    search_ids,
)
from learning.services.completion import (
    CourseCompletion,
    award_evidence,
    award_waiting,
    completion_for,
    request_award,
    request_badge_approval,
    retry_awards,
    update_completion,
    update_completions_for,
)
from learning.services.dashboard import Dashboard, dashboard_for
from learning.services.enrolment import (
    enrol,
    enrolment_of,
    leave,
    missing_prerequisites,
    prerequisites_of,
)
from learning.services.errors import LearningError, PrerequisitesMissing, QuizInputError
from learning.services.lessons import (
    REFLECTION_MAX_CHARS,
    mark_lesson_done,
    save_reflection,
    unmet_lesson_requirements,
)
from learning.services.progress import CourseProgress, Requirement, progress_for, progress_of
from learning.services.quizzes import (
    TOKEN_PATTERN,
    attempts_left,
    grade,
    new_form_token,
    question_choices,
    quiz_questions,
    submit_quiz,
    validate_answers,
)
from learning.services.reports import (
    WORK_REFUSED,
    CourseReflections,
    CourseReport,
    FunnelStage,
    LearnerReport,
    LearnerRow,
    QuizStats,
    course_reflections,
    course_report,
    enrolment_counts,
    learner_report,
    reflections_by_learner,
    report_table,
)
from learning.services.structure import (
    Module,
    course_lessons,
    course_of,
    find_block,
    lessons_by_course,
    modules,
)

__all__ = [
    "LearnerWork",
    "can_see_learner_work",
    "course_team",
    "learner_work_access",
    "may_fetch_document",
    "course_team_addresses",
    "send_attempt_granted_email",
    "send_attempt_request_email",
    "CourseReflections",
    "WORK_REFUSED",
    "reflections_by_learner",
    "Allowance",
    "allowance_for",
    "allowances_for",
    "course_contacts",
    "grant_one_more_attempt",
    "open_request_counts",
    "open_requests",
    "request_another_attempt",
    "reset_attempts",
    "LearnerReport",
    "course_reflections",
    "learner_report",
    "REFLECTION_MAX_CHARS",
    "TOKEN_PATTERN",
    "CatalogueQuery",
    "CourseCompletion",
    "CourseProgress",
    "CourseReport",
    "Dashboard",
    "FunnelStage",
    "LearnerRow",
    "LearningError",
    "Module",
    "PrerequisitesMissing",
    "QuizInputError",
    "QuizStats",
    "Requirement",
    "attempts_left",
    "award_evidence",
    "award_waiting",
    "can_edit_course",
    "can_open_lessons",
    "can_view_report",
    "catalogue_courses",
    "catalogue_ids",
    "catalogue_options",
    "completion_for",
    "course_lessons",
    "course_of",
    "course_report",
    "courses_for_cards",
    "dashboard_for",
    "enrol",
    "enrolment_counts",
    "enrolment_of",
    "find_block",
    "grade",
    "leave",
    "lessons_by_course",
    "mark_lesson_done",
    "missing_prerequisites",
    "modules",
    "new_form_token",
    "prerequisites_of",
    "progress_for",
    "progress_of",
    "question_choices",
    "quiz_questions",
    "recommended_courses",
    "report_table",
    "reportable_courses",
    "request_award",
    "request_badge_approval",
    "retry_awards",
    "save_reflection",
    "search_ids",
    "submit_quiz",
    "unmet_lesson_requirements",
    "update_completion",
    "update_completions_for",
    "validate_answers",
]
