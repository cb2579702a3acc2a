"""Completing a course and asking credentials for its badge.

``update_completion`` completes an enrolment once the course's rule is met and, after the
transaction commits, sends ``signals.award_requested``; ``receivers.request_course_award``
enqueues the ``learning.request_course_award`` task, which calls ``request_award``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from credentials.models import ApprovalRequest, Award, BadgeClass
from credentials.services import AwardError, Evidence, approvals, award, backpack
from learning import hooks, signals
from learning.models import CoursePage, Enrolment, LessonPage, LessonProgress, QuizAttempt
from learning.services.access import AnyUser, can_view_report, is_active_user
from learning.services.catalogue import recommended_courses
from learning.services.errors import LearningError
from learning.services.progress import progress_of


def update_completion(enrolment: Enrolment) -> Enrolment:
    """Complete the enrolment if the course's rule is met; request the badge after commit.

    Atomic and idempotent: a completed enrolment stays completed and requests its badge once.
    """
    with transaction.atomic():
        locked = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("course", "user")
            .get(pk=enrolment.pk)
        )
        if locked.status != Enrolment.Status.ACTIVE:
            return locked
        if not progress_of(locked).is_met:
            return locked
        now = timezone.now()
        locked.status = Enrolment.Status.COMPLETED
        locked.completed_at = now
        locked.last_activity_at = now
        if locked.course.badge_class_id:
            locked.award_status = Enrolment.AwardStatus.PENDING
            locked.award_requested_at = now
            # robust: a failing award never undoes or hides the completion; the enrolment
            # stays "requested" and staff can retry from the course report.
            transaction.on_commit(lambda: _announce_award_request(locked.pk), robust=True)
        locked.save()
    return locked


def _announce_award_request(enrolment_id: int) -> None:
    """After commit: ``receivers.request_course_award`` enqueues the award task."""
    signals.award_requested.send(sender=Enrolment, enrolment_id=enrolment_id)


def update_completions_for(user: AnyUser) -> list[Enrolment]:
    """Recompute every in-progress enrolment of ``user`` (mentoring calls this after a session).

    Returns the enrolments that are completed now.
    """
    if user is None or not user.is_authenticated:
        return []
    completed = []
    for enrolment in Enrolment.objects.filter(user=user, status=Enrolment.Status.ACTIVE):
        updated = update_completion(enrolment)
        if updated.is_completed:
            completed.append(updated)
    return completed


def award_evidence(enrolment: Enrolment) -> list[Evidence]:
    """What the badge says was done: the course, its lessons, quiz scores, mentoring, the date."""
    course = enrolment.course
    # With their bodies: the quiz titles are read from them below.
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    done = {
        row.lesson_id: row.completed_at
        for row in LessonProgress.objects.filter(enrolment=enrolment)
    }
    finished = [lesson.title for lesson in lessons if lesson.pk in done]
    when = (enrolment.completed_at or timezone.now()).date().isoformat()
    with translation.override(settings.LANGUAGE_CODE):
        # Signed into the credential: the course's one address, not the staff's /fr/ one.
        url = course.get_full_url() or ""
    evidence = [
        Evidence(
            name=f"Completed the course “{course.title}”",
            narrative=(
                f"Completed on {when}: {len(finished)} of {len(lessons)} lessons done"
                + (f" ({'; '.join(finished)})." if finished else ".")
            ),
            url=url,
        )
    ]
    titles = {}
    for lesson in lessons:
        for block in lesson.quiz_blocks():
            titles[(lesson.pk, block.id)] = (lesson.title, block.value["title"])
    best: dict[tuple[int, str], QuizAttempt] = {}
    for attempt in QuizAttempt.objects.filter(enrolment=enrolment).order_by("submitted_at"):
        key = (attempt.lesson_id, attempt.quiz_id)
        if key not in best or attempt.score > best[key].score:
            best[key] = attempt
    for key, attempt in best.items():
        if key not in titles:
            continue
        lesson_title, quiz_title = titles[key]
        evidence.append(
            Evidence(
                name=f"Quiz “{quiz_title}” ({lesson_title})",
                narrative=(
                    f"Scored {attempt.score}% (pass mark {attempt.pass_mark}%) on attempt "
                    f"{attempt.number}, {attempt.submitted_at.date().isoformat()}."
                ),
            )
        )
    if course.required_mentoring_sessions:
        sessions = hooks.completed_mentoring_sessions(enrolment.user, course)
        evidence.append(
            Evidence(
                name="Mentoring",
                narrative=f"Completed {sessions} mentoring session{'s' if sessions != 1 else ''} "
                f"({course.required_mentoring_sessions} required).",
            )
        )
    return evidence


def request_award(enrolment_id: int) -> Award | None:
    """Ask credentials to award the course's badge to a completed enrolment. Idempotent.

    The one place learning calls ``credentials.services.award``. A refusal (for example a
    badge that is not published yet) is recorded on the enrolment so that staff can see it and
    retry; the completion itself stands.
    """
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("course", "course__badge_class", "course__badge_class__issuer", "user")
            .get(pk=enrolment_id)
        )
        if enrolment.status != Enrolment.Status.COMPLETED:
            return None
        if enrolment.award_status == Enrolment.AwardStatus.AWARDED and enrolment.award_id:
            return enrolment.award
        badge = enrolment.course.badge_class
        if badge is None:
            enrolment.award_status = Enrolment.AwardStatus.NONE
            enrolment.save(update_fields=["award_status"])
            return None
        waiting = _unapproved_reason(enrolment.course)
        if waiting:  # the completion stands; the badge follows when its institution approves
            enrolment.award_status = Enrolment.AwardStatus.PENDING
            enrolment.award_message = waiting
            enrolment.save(update_fields=["award_status", "award_message"])
            return None
        try:
            given = award(
                badge,
                enrolment.user,
                award_evidence(enrolment),
                idempotency_key=f"learning:enrolment:{enrolment.pk}",
            )
        except AwardError as error:
            enrolment.award_status = Enrolment.AwardStatus.FAILED
            enrolment.award_message = str(error)
            enrolment.save(update_fields=["award_status", "award_message"])
            return None
        enrolment.award = given
        enrolment.award_status = Enrolment.AwardStatus.AWARDED
        enrolment.award_message = ""
        enrolment.save(update_fields=["award", "award_status", "award_message"])
        return given


def _unapproved_reason(course: CoursePage) -> str:
    """Why the course may not award its badge yet ("" when its institution approved it)."""
    approval = course.badge_approval
    if approval is not None and approval.is_approved:
        return ""
    issuer = course.badge_class.issuer.name
    if approval is not None and approval.state == ApprovalRequest.State.DECLINED:
        return f"{issuer}'s staff declined this course awarding “{course.badge_class.name}”."
    return f"Waiting for {issuer}'s staff to approve this course awarding its badge."


def request_badge_approval(course: CoursePage, *, by) -> ApprovalRequest | None:
    """Ask the badge's institution to approve the course awarding it (an editor saved the
    course). Approved at once when ``by`` acts for that institution. Idempotent."""
    if not course.badge_class_id or not course.pk:
        return None
    label = _("Course “%(title)s”") % {"title": course.title}
    made = approvals.request_course_badge(
        course.badge_class, course.pk, by=by, label=label, url=course.get_full_url() or ""
    )
    course.__dict__.pop("badge_approval", None)
    return made


def award_waiting(course_id: int) -> int:
    """Award the badge to every completed learner still waiting for it (the badge's
    institution just approved the course). Idempotent: each enrolment is awarded once."""
    waiting = list(
        Enrolment.objects.filter(
            course_id=course_id,
            status=Enrolment.Status.COMPLETED,
            award_status__in=[Enrolment.AwardStatus.PENDING, Enrolment.AwardStatus.FAILED],
        ).values_list("pk", flat=True)
    )
    return sum(1 for pk in waiting if request_award(pk) is not None)


def retry_awards(course: CoursePage, by: AnyUser) -> int:
    """Request the badge again for every completed learner still without it (staff action)."""
    if not can_view_report(by, course):
        raise PermissionError(_("Only the course's staff and editors may award its badge."))
    waiting = list(
        Enrolment.objects.filter(
            course=course,
            status=Enrolment.Status.COMPLETED,
            award_status__in=[Enrolment.AwardStatus.PENDING, Enrolment.AwardStatus.FAILED],
        ).values_list("pk", flat=True)
    )
    return sum(1 for pk in waiting if request_award(pk) is not None)


# --------------------------------------------------------------------------- the moment


@dataclass
class CourseCompletion:
    """What the completion page shows one learner: the course, its badge and where it stands,
    how to share it, and what to learn next.

    ``badge_state``: "awarded"; "issuing" (requested, on its way: refresh); "delayed" (waiting
    for the institution's approval or for staff to fix a problem); "revoked"; "none" (the
    course awards no badge)."""

    enrolment: Enrolment
    course: CoursePage
    badge: BadgeClass | None
    badge_state: str
    award: Award | None = None
    public_url: str = ""
    linkedin_url: str = ""
    downloads: list = field(default_factory=list)
    next_courses: list[CoursePage] = field(default_factory=list)

    @property
    def primary_download(self):
        """The baked Open Badges 3.0 PNG: the file most people want."""
        return next((d for d in self.downloads if d.name == "award_png3"), None)


def completion_for(user: AnyUser, course: CoursePage) -> CourseCompletion:
    """The completion of ``course`` by ``user``; :class:`LearningError` until they completed
    it. Only ever the learner's own: nobody sees another person's completion here."""
    enrolment = (
        Enrolment.objects.filter(user=user, course=course, status=Enrolment.Status.COMPLETED)
        .select_related("award", "award__badge_class", "award__badge_class__issuer")
        .first()
        if is_active_user(user)
        else None
    )
    if enrolment is None:
        raise LearningError(_("Complete the course to see your achievement."))
    enrolment.course = course
    given = enrolment.award
    badge = given.badge_class if given is not None else course.badge_class
    completion = CourseCompletion(
        enrolment=enrolment,
        course=course,
        badge=badge,
        badge_state=_badge_state(enrolment, badge),
        award=given,
        next_courses=recommended_courses(user, after=course),
    )
    if given is not None and completion.badge_state == "awarded":
        completion.public_url = backpack.public_url(given)
        completion.linkedin_url = backpack.linkedin_add_url(given)
        completion.downloads = backpack.downloads(given)
    return completion


def _badge_state(enrolment: Enrolment, badge: BadgeClass | None) -> str:
    if enrolment.award is not None:
        return "revoked" if enrolment.award.revoked_at is not None else "awarded"
    if badge is None or enrolment.award_status == Enrolment.AwardStatus.NONE:
        return "none"
    if enrolment.award_status == Enrolment.AwardStatus.FAILED or enrolment.award_message:
        return "delayed"
    return "issuing"
