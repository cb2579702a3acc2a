"""Render time of the learner pages on 200 courses and 5,000 enrolments.

Prints the median and 95th percentile of the catalogue, a course page, a lesson page, the
dashboard and the backpack (the learner holds AWARDS credentials, one of them revoked), each
next to a bare Django view measured in the same run (same middleware, same database), and
their ratio. Not a test: `make bench` runs it.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "40"))
AWARDS = 12


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("__bench__/bare/", bare), path("", include("cms.urls"))]


def measure(client: Client, url: str) -> list[float]:
    for _ in range(3):  # warm caches (templates, site root paths)
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return times


def give_awards(learner, count: int = AWARDS) -> None:
    """``count`` credentials of as many badges for the learner, the last one revoked (stored
    without baking: the backpack shows the award, not its images)."""
    from credentials import services
    from credentials.models import BadgeClass, Issuer

    issuer = Issuer.objects.get(slug="scale-uni")
    given = None
    for n in range(count):
        badge = BadgeClass.objects.create(
            issuer=issuer,
            slug=f"backpack-{n:02d}",
            name=f"Backpack badge {n:02d}",
            description="A credential in the learner's backpack.",
            criteria_narrative="Complete the course.",
            status=BadgeClass.Status.PUBLISHED,
        )
        [(given, _)] = services.award_many(badge, [services.Grant(learner)], bake=False)
    services.revoke(given, "Issued by mistake.", by=None)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    from tests.learning import scale

    started = time.perf_counter()
    data = scale.build()
    give_awards(data.learner)
    print(
        f"data set: 200 courses, 5,000 enrolments, built in {time.perf_counter() - started:.1f} s"
    )
    client = Client()
    client.force_login(data.learner)
    pages = {
        "catalogue": data.catalogue.url,
        "course page": data.course.url,
        "lesson page": data.lesson.url,
        "dashboard": "/learning/",
        "backpack": "/credentials/mine/",
    }
    with override_settings(ROOT_URLCONF=__name__):
        baseline = measure(client, "/__bench__/bare/")
        results = {name: measure(client, url) for name, url in pages.items()}
    base_median, base_p95 = statistics.median(baseline), p95(baseline)
    print(f"{'page':<14}{'median ms':>11}{'p95 ms':>9}{'× bare median':>15}{'× bare p95':>12}")
    print(f"{'bare view':<14}{base_median:>11.2f}{base_p95:>9.2f}{1:>15.1f}{1:>12.1f}")
    for name, times in results.items():
        median, tail = statistics.median(times), p95(times)
        print(
            f"{name:<14}{median:>11.2f}{tail:>9.2f}"
            f"{median / base_median:>15.1f}{tail / base_p95:>12.1f}"
        )
    print(f"({RUNS} runs each, after 3 warm-up requests; SQLite in memory)")


if __name__ == "__main__":
    main()
