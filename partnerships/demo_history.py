"""A year of history for the demo partnership, so every chart of its dashboard has a shape.

Over the last twelve calendar months, rising: learners enrol in the two co-created courses
(most finish, a few leave), mentees of the mentoring programme meet industry and academic
mentors (completed and rated sessions, a few no-shows and cancellations), and employers verify
the credentials. Written cheaply, straight into the tables that hold no signature (enrolments,
lesson progress, sessions, verifications); every credential is a real award through
``credentials.services.award_many``, backdated to the day it was earned and signed like any
other, without an e-mail to the made-up learners. Written once: a second seed finds the history
and adds nothing. Deterministic but for the dates, which follow today.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from credentials.models import Award, BadgeClass, VerificationEvent
from credentials.services import Evidence, Grant, award_many, can_act_for
from credentials.services.verifications import verifier_key
from learning.models import CoursePage, Enrolment, LessonPage, LessonProgress
from mentoring.models import MentoringProgramme, MentorProfile, MentorSession
from partnerships import demo_content as content

KEY_PREFIX = "demo:northbridge-helix:"
# Enrolments in the co-created courses per month, oldest month first: a rising year.
ENROLMENTS = (2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 6)
MENTEES = 12
MENTOR_ORDER = ("partner@helix.example", "academic@northbridge.example", "mentor@example.com")
PRACTITIONER = (content.NORTHBRIDGE, "co-creation-practitioner")
UNIVERSITY_STAFF = "staff@northbridge.example"


def months_before(day: date, months: int) -> date:
    """The first day of the month ``months`` calendar months before ``day``'s."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def twelve_months(today: date) -> list[date]:
    """The first days of the last twelve calendar months, this one last."""
    return [months_before(today, back) for back in range(11, -1, -1)]


@dataclass
class History:
    learners: int = 0
    enrolments: int = 0
    sessions: int = 0
    awards: int = 0
    verifications: int = 0
    skipped: bool = False
    award_days: list[date] = field(default_factory=list)


def seed_history(
    partnership, links: dict, *, groups: tuple[str, ...] = (), today: date | None = None
) -> History:
    """Write the year once; a partnership whose history exists is left as it is."""
    courses: list[CoursePage] = links.get("courses") or []
    programme: MentoringProgramme | None = links.get("programme")
    if MentorSession.objects.filter(idempotency_key__startswith=KEY_PREFIX).exists() or (
        Enrolment.objects.filter(user__email=content.LEARNERS[0][0]).exists()
    ):
        return History(skipped=True)
    if not courses:
        return History()
    today = today or timezone.localdate()
    writer = _Writer(today, random.Random(16))
    learners = writer.learners(groups)
    history = History(learners=len(learners))
    history.enrolments = writer.enrolments(courses, learners)
    if programme is not None:
        history.sessions = writer.sessions(programme, learners)
    writer.practitioners()
    writer.flush()
    Enrolment.objects.bulk_update(writer.awarded, ["award", "award_status", "award_requested_at"])
    history.awards = len(writer.awards)
    history.verifications = writer.verifications()
    history.award_days = sorted(a.issued_on.date() for a in writer.awards)
    return history


class _Writer:
    def __init__(self, today: date, rng: random.Random) -> None:
        self.today = today
        self.now = timezone.now()
        self.zone = timezone.get_current_timezone()
        self.rng = rng
        self.months = twelve_months(today)
        self.awards: list[Award] = []
        self.pending: dict[tuple, tuple] = {}
        self.completed_courses: dict[int, datetime] = {}  # learner pk -> last completion
        self.mentored: dict = {}  # learner -> programme badge day
        self.awarded: list[Enrolment] = []  # completed enrolments, their award to come

    # ------------------------------------------------------------------ people

    def learners(self, groups: tuple[str, ...]) -> list:
        """The made-up learners, made in one go (they never log in: no usable password)."""
        User = get_user_model()
        emails = [email for email, _name in content.LEARNERS]
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        new = []
        for email, name in content.LEARNERS:
            if email not in existing:
                user = User(email=email, display_name=name)
                user.set_unusable_password()
                new.append(user)
        User.objects.bulk_create(new)
        found = list(User.objects.filter(email__in=emails).order_by("pk"))
        Through = User.groups.through
        Through.objects.bulk_create(
            [
                Through(user_id=user.pk, group_id=group.pk)
                for group in (Group.objects.get_or_create(name=name)[0] for name in groups)
                for user in found
                if user.email not in existing
            ]
        )
        order = {email: n for n, email in enumerate(emails)}
        return sorted(found, key=lambda user: order[user.email])

    def moment(self, month: date, hours=(8, 18)) -> datetime:
        """A believable time in ``month`` (up to today), never in the future."""
        end = months_before(month, -1) - timedelta(days=1)
        last = min(end, self.today)
        day = month + timedelta(days=self.rng.randint(0, (last - month).days))
        at = datetime.combine(day, time(self.rng.randint(*hours), self.rng.choice((0, 15, 30, 45))))
        return min(timezone.make_aware(at, self.zone), self.now - timedelta(minutes=5))

    def award(self, badge: BadgeClass, user, when: datetime, evidence, by=None, then=None):
        """Queue an award earned at ``when``; ``then(award)`` once it is made."""
        month = timezone.localtime(when, self.zone).date().replace(day=1)
        batch = self.pending.setdefault((badge.pk, month), (badge, by, []))
        batch[2].append((user, tuple(evidence), when, then))

    def flush(self) -> None:
        """Award what is queued, a batch per badge and month (as an examination board does),
        each batch issued on the day its last member earned it: real, signed credentials."""
        for badge, by, items in self.pending.values():
            given = award_many(
                badge,
                [Grant(user, evidence) for user, evidence, _when, _then in items],
                by,
                issued_on=max(when for _user, _evidence, when, _then in items),
                send_email=False,
            )
            for (award, _created), (*_rest, then) in zip(given, items, strict=True):
                self.awards.append(award)
                if then is not None:
                    then(award)
        self.pending.clear()

    # ------------------------------------------------------------------ courses

    def enrolments(self, courses: list[CoursePage], learners: list) -> int:
        pairs = [(user, course) for user in learners for course in courses]
        self.rng.shuffle(pairs)
        lessons = {
            course.pk: list(LessonPage.objects.live().child_of(course).order_by("path"))
            for course in courses
        }
        planned = []
        for index, month in enumerate(self.months):
            for _ in range(ENROLMENTS[index]):
                if not pairs:
                    break
                user, course = pairs.pop()
                planned.append(self._plan(user, course, self.moment(month), lessons[course.pk]))
        rows = Enrolment.objects.bulk_create(item[0] for item in planned)
        LessonProgress.objects.bulk_create(
            LessonProgress(enrolment=row, lesson=lesson, completed_at=at)
            for row, (_row, done) in zip(rows, planned, strict=True)
            for lesson, at in done
        )
        self._award_courses(rows, lessons)
        return len(rows)

    def _plan(self, user, course: CoursePage, enrolled: datetime, lessons: list[LessonPage]):
        rng, now = self.rng, self.now
        finish = enrolled + timedelta(days=rng.randint(18, 50), hours=rng.randint(0, 6))
        roll = rng.random()
        row = Enrolment(user=user, course=course, enrolled_at=enrolled, last_activity_at=enrolled)
        if roll < 0.12:
            row.status = Enrolment.Status.LEFT
            row.left_at = min(enrolled + timedelta(days=rng.randint(6, 20)), now)
            count, until = min(rng.randint(0, 2), len(lessons)), row.left_at
        elif roll < 0.72 and finish <= now - timedelta(hours=1):
            row.status = Enrolment.Status.COMPLETED
            row.completed_at = finish
            count, until = len(lessons), finish
        else:
            elapsed = (now - enrolled).days
            count = min(len(lessons) - 1, rng.randint(0, 1 + elapsed // 7))
            until = min(finish, now)
        step = (until - enrolled) / (count + 1) if count else timedelta(0)
        done = [(lesson, enrolled + step * (n + 1)) for n, lesson in enumerate(lessons[:count])]
        if done:
            row.last_activity_at = done[-1][1]
        return row, done

    def _award_courses(self, rows: list[Enrolment], lessons: dict) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            urls = {row.course_id: row.course.get_full_url() or "" for row in rows}
        for row in rows:
            badge = row.course.badge_class
            if row.status != Enrolment.Status.COMPLETED or badge is None:
                continue
            count = len(lessons[row.course_id])
            evidence = [
                Evidence(
                    name=f"Completed the course “{row.course.title}”",
                    narrative=f"Completed on {row.completed_at.date().isoformat()}: "
                    f"{count} of {count} lessons done.",
                    url=urls[row.course_id],
                )
            ]
            self.award(
                badge, row.user, row.completed_at, evidence, then=partial(setattr, row, "award")
            )
            row.award_status = Enrolment.AwardStatus.AWARDED
            row.award_requested_at = row.completed_at
            self.awarded.append(row)
            last = self.completed_courses.get(row.user_id)
            self.completed_courses[row.user_id] = max(last or row.completed_at, row.completed_at)

    # ------------------------------------------------------------------ mentoring

    def sessions(self, programme: MentoringProgramme, learners: list) -> int:
        profiles = {
            p.user.email: p
            for p in MentorProfile.objects.filter(user__email__in=MENTOR_ORDER).select_related(
                "user"
            )
        }
        mentors = [profiles[email] for email in MENTOR_ORDER if email in profiles]
        if not mentors:
            return 0
        mentees = learners[:MENTEES]
        programme.learners.add(*mentees)
        rows = []
        for index, mentee in enumerate(mentees):
            # More mentees start later in the year: the programme grows.
            month = self.months[round(11 * (index / (len(mentees) - 1)) ** 0.7)]
            when = self.moment(month, hours=(9, 15))
            held = []
            for turn in range(self.rng.randint(3, 5)):
                mentor = mentors[(index + turn) % len(mentors)]
                session = self._session(f"{KEY_PREFIX}{index}:{turn}", mentor, mentee, when)
                if session is None:
                    break
                rows.append(session)
                if session.status == MentorSession.Status.COMPLETED and session.rating:
                    held.append(session)
                when += timedelta(days=self.rng.randint(9, 21))
            self._mentee_award(programme, mentee, held)
        MentorSession.objects.bulk_create(rows)
        return len(rows)

    def _session(self, key: str, mentor: MentorProfile, learner, around: datetime):
        rng, Status = self.rng, MentorSession.Status
        local = around.astimezone(ZoneInfo(mentor.time_zone))
        day = local.date() - timedelta(days=max(0, local.weekday() - 4))  # a weekday
        start = datetime.combine(day, time(rng.randint(9, 15)), tzinfo=ZoneInfo(mentor.time_zone))
        end = start + timedelta(minutes=mentor.session_minutes)
        if end > self.now - timedelta(hours=2):
            return None
        session = MentorSession(
            idempotency_key=key,
            mentor=mentor,
            learner=learner,
            starts_at=start,
            ends_at=end,
            confirmed_at=start - timedelta(days=rng.randint(2, 6)),
            sent_sequence=0,
            last_change="booked",
            goal=rng.choice(GOALS),
        )
        roll = rng.random()
        if roll < 0.07:
            session.status = Status.NO_SHOW
            session.no_show_side = rng.choice((MentorSession.Side.LEARNER,) * 2 + ("mentor",))
        elif roll < 0.12:
            session.status = Status.CANCELLED
            session.cancelled_at = start - timedelta(days=1, hours=rng.randint(1, 9))
            session.cancelled_by = learner
            session.cancellation_reason = "An exam moved to that day; I will book again."
            session.last_change = "cancelled"
        else:
            session.status = Status.COMPLETED
            session.completed_at = end
            session.feedback_requested_at = end + timedelta(hours=1)
            if rng.random() < 0.9:
                session.rating = rng.choice((3, 4, 4, 5, 5, 5))
                session.feedback = rng.choice(content.FEEDBACK)
                session.feedback_at = min(end + timedelta(hours=rng.randint(2, 30)), self.now)
        return session

    def _mentee_award(self, programme: MentoringProgramme, mentee, held: list) -> None:
        """The programme's badge once the rule is met (three rated sessions over two weeks),
        on the day after the session that met it."""
        badge = programme.badge_class
        needed, weeks = programme.required_sessions, programme.minimum_weeks
        met = next(
            (
                s
                for n, s in enumerate(held)
                if n + 1 >= needed and s.starts_at - held[0].starts_at >= timedelta(weeks=weeks)
            ),
            None,
        )
        if badge is None or met is None:
            return
        when = min(met.ends_at + timedelta(days=1), self.now - timedelta(minutes=5))
        evidence = [
            Evidence(
                name=f"Mentoring session with {s.mentor.name}",
                narrative=f"{s.minutes}-minute one-to-one session on "
                f"{s.starts_at.date().isoformat()} with {s.mentor.name} "
                f"({s.mentor.organisation}, {s.mentor.get_sector_display()}); the learner "
                f"rated it {s.rating}/5.",
            )
            for s in held[: held.index(met) + 1]
        ]
        evidence.append(
            Evidence(
                name=programme.name,
                narrative=f"Met the rule of the programme: {programme.rule_text}.",
                url=f"{settings.SITE_URL}{programme.get_absolute_url()}",
            )
        )
        self.award(badge, mentee, when, evidence)
        self.mentored[mentee] = when

    # ------------------------------------------------------------------ micro-credential

    def practitioners(self) -> None:
        """Mentees who finished a course and the programme earn the co-creation practitioner
        micro-credential five weeks later, awarded by Northbridge's staff."""
        badge = BadgeClass.objects.filter(
            issuer__slug=PRACTITIONER[0], slug=PRACTITIONER[1]
        ).first()
        if badge is None or badge.status != BadgeClass.Status.PUBLISHED:
            return
        by = get_user_model().objects.filter(email=UNIVERSITY_STAFF).first()
        if by is not None and not can_act_for(by, badge.issuer):
            by = None  # an automatic award, as when the staff account is missing
        for mentee, mentored in self.mentored.items():
            finished = self.completed_courses.get(mentee.pk)
            if finished is None:
                continue
            when = max(mentored, finished) + timedelta(days=35)
            if when >= self.now:
                continue
            evidence = [
                Evidence(
                    name="Project portfolio: spare-parts forecasting with Helix Robotics",
                    narrative="Co-created a forecasting prototype with Helix engineers and "
                    "passed the oral assessment with a Northbridge and a Helix assessor.",
                )
            ]
            self.award(badge, mentee, when, evidence, by=by)

    # ------------------------------------------------------------------ verifications

    def verifications(self) -> int:
        """Employers check the credentials in the weeks after they were issued: one row per
        credential, verifier and day, as the verifier records a genuine verdict."""
        rows = []
        for award in self.awards:
            issued = timezone.localtime(award.issued_on, self.zone).date()
            for _ in range(self.rng.choice((0, 1, 1, 2, 2, 3))):
                day = issued + timedelta(days=self.rng.randint(2, 120))
                if day > self.today:
                    continue
                address = f"203.0.113.{self.rng.randint(1, 254)}"  # documentation addresses
                rows.append(
                    VerificationEvent(
                        award=award,
                        day=day,
                        verifier=verifier_key(day=day, address=address),
                        verdict="valid",
                    )
                )
        return len(VerificationEvent.objects.bulk_create(rows, ignore_conflicts=True))


GOALS = (
    "Pick one problem from our service-engineer interviews",
    "Plan the next round of customer interviews",
    "Test the forecast against last quarter's orders",
    "Decide what the prototype must show at the demo",
    "Reflect on how our team splits the work",
    "Prepare the pitch to the Helix steering group",
)
