"""Time of an institution's impact dashboard with 100,000 awards, 20,000 enrolments and 5,000
mentoring sessions, against the catalogue page of its 200 courses, in the same run.

Prints the median and 95th percentile of the figures alone (``impact()``), of the dashboard
page through the test client (staff signed in with a second factor), and of the catalogue
page, with their ratio to the catalogue; then the dashboard's query count and its slowest
queries. Rows are bulk-inserted, unsigned (a constant stands in for the signed documents).
Not a test: `make bench` runs it. ``BENCH_AWARD_INDEX=1`` first adds an index on the awards'
badge and issue time, to measure what one would give.
"""

import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
AWARDS, ENROLMENTS, SESSIONS, BADGES, MENTORS = 100_000, 20_000, 5_000, 10, 10
TODAY = date.today()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def timed(action, runs: int = RUNS) -> list[float]:
    for _ in range(2):  # warm caches (templates, site root paths, locales)
        action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def moment(rng: random.Random, days: int = 730) -> datetime:
    """A time in the last ``days`` days (about half of two years falls in the default period)."""
    now = datetime.now(UTC)
    return now - timedelta(seconds=rng.randrange(days * 86_400))


def build(rng: random.Random):
    """The institution of ``tests.learning.scale`` (200 courses, 5,000 enrolments) grown to
    the issue's sizes."""
    from credentials.models import BadgeClass, Competency, Issuer
    from learning.models import Enrolment
    from mentoring.models import MentorProfile, MentorSession
    from tests.learning import scale
    from tests.partnerships.services import impact_world as world

    data = scale.build()
    institution = Issuer.objects.get(slug="scale-uni")
    competences = list(Competency.objects.order_by("pk"))
    badges = [BadgeClass.objects.get(slug="scale-badge")]
    badges += [world.badge(institution, f"bench-{n}") for n in range(BADGES - 1)]
    for n, badge in enumerate(badges):
        badge.alignments.set(competences[n * 3 : n * 3 + 4])

    learners = world.people(ENROLMENTS // 100, "bench-learner")
    pairs = [(person, course) for course in data.courses[25:125] for person in learners]
    rows = []
    for person, course in pairs[: ENROLMENTS - 5000]:
        enrolled = moment(rng)
        done = rng.random() < 0.3
        rows.append(
            Enrolment(
                user=person,
                course=course,
                enrolled_at=enrolled,
                completed_at=enrolled + timedelta(days=20) if done else None,
                status=Enrolment.Status.COMPLETED if done else Enrolment.Status.ACTIVE,
            )
        )
    Enrolment.objects.bulk_create(rows, batch_size=5000)

    given, now = [], datetime.now(UTC)
    for badge in badges:  # spread evenly over the last two years
        batch = world.awards(badge, AWARDS // BADGES, now, spread_days=730)
        given += batch[:: len(batch) // 200]
    world.verifications(given, TODAY - timedelta(days=40), verifiers=3)

    mentors = [
        world.mentor(institution, [MentorProfile.Sector.INDUSTRY, "academia"][n % 2], f"bm{n}")
        for n in range(MENTORS)
    ]
    statuses = [MentorSession.Status.COMPLETED] * 8 + [
        MentorSession.Status.NO_SHOW,
        MentorSession.Status.CANCELLED,
    ]
    start = datetime.now(UTC) - timedelta(days=700)
    for n, mentor in enumerate(mentors):
        world.sessions(
            mentor,
            [learners[(n + k) % len(learners)] for k in range(SESSIONS // MENTORS)],
            start + timedelta(minutes=7 * n),
            every_hours=33,
            status=statuses[n % len(statuses)],
            rating=1 + n % 5,
        )
    for n in range(5):
        partner = world.issuer(f"bench-partner-{n}", Issuer.Kind.COMPANY)
        world.endorse(badges[n], partner, moment(rng, 300))
    return data, institution


def staff_client(institution) -> Client:
    from cms import services
    from tests.credentials.second_factor_support import login_with_second_factor
    from tests.partnerships.services import impact_world as world

    [staff] = world.people(1, "bench-staff")
    services.mark_email_verified(staff)
    institution.staff.add(staff)
    client = Client()
    login_with_second_factor(client, staff)
    return client


def main() -> None:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    from credentials.models import Award
    from learning.models import Enrolment
    from mentoring.models import MentorSession
    from partnerships.services.impact import default_period, impact, institution_scope

    started = time.perf_counter()
    data, institution = build(random.Random(16))
    built = time.perf_counter() - started
    if os.environ.get("BENCH_AWARD_INDEX"):
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE INDEX bench_award_badge_issued ON credentials_award "
                "(badge_class_id, issued_on)"
            )
        print("with an index on credentials_award (badge_class_id, issued_on)")
    print(
        f"data set: {Award.objects.count():,} awards, {Enrolment.objects.count():,} enrolments, "
        f"{MentorSession.objects.count():,} sessions, built in {built:.0f} s"
    )
    scope, period = institution_scope(institution), default_period(TODAY)
    visitor = Client()
    staff = staff_client(institution)
    dashboard_url = reverse("impact:institution", kwargs={"slug": institution.slug})

    def catalogue():
        assert visitor.get(data.catalogue.url).status_code == 200

    def dashboard():
        assert staff.get(dashboard_url).status_code == 200

    results = {
        "catalogue page": timed(catalogue),
        "figures (impact())": timed(lambda: impact(scope, period)),
    }
    try:
        results["dashboard page"] = timed(dashboard)
    except AssertionError:
        print(f"(the dashboard page {dashboard_url} does not answer 200 yet: figures only)")
    base = statistics.median(results["catalogue page"])
    print(f"{'':<20}{'median ms':>11}{'p95 ms':>9}{'× catalogue':>13}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:<20}{median:>11.1f}{p95(times):>9.1f}{median / base:>13.1f}")
    with CaptureQueriesContext(connection) as captured:
        impact(scope, period)
    spent = sum(float(query["time"]) for query in captured.captured_queries) * 1000
    print(f"impact(): {len(captured)} queries, {spent:.0f} ms in the database; the slowest:")
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:4]
    for query in slowest:
        print(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:90]}")
    if "dashboard page" in results:
        with CaptureQueriesContext(connection) as captured:
            dashboard()
        print(f"dashboard page: {len(captured)} queries")
    print(
        f"({RUNS} runs each after 2 warm-ups; SQLite in memory; period {period.start}–{period.end})"
    )


if __name__ == "__main__":
    main()
