"""The page cache's effect on the anonymous pages and hosted documents, in process.

On the data set of bench/pages.py (200 courses, 5,000 enrolments) plus one public credential,
a signed-out client asks for the catalogue, a course page, the credential page, the
institution page and the hosted JSON documents, with the page cache off and on (lib/pagecache.py),
each beside a bare Django view measured in the same run (same middleware, same database). The
cache is a Redis server started on a Unix socket when ``redis-server`` is installed (as in
production), else the local-memory cache. Prints the median per request and each one's share of
the bare view's rate (bare median / median). Not a test: `make bench` may run it.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
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
from django.urls import include, path, reverse  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "60"))


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("__bench__/bare/", bare), path("", include("cms.urls"))]


def measure(client: Client, url: str, accept: str = "text/html") -> tuple[float, float]:
    """Median ms of the page and of the bare view, their requests interleaved so that the
    machine's other load weighs on both alike."""
    for _ in range(3):  # warm up (templates, site root paths, the cache entry)
        assert client.get(url, HTTP_ACCEPT=accept).status_code == 200, url
    page, bare_times = [], []
    for _ in range(RUNS):
        for target, times in ((url, page), ("/__bench__/bare/", bare_times)):
            start = time.perf_counter()
            response = client.get(target, HTTP_ACCEPT=accept)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, target
    return statistics.median(page), statistics.median(bare_times)


def start_redis(folder: str) -> tuple[subprocess.Popen | None, dict]:
    server = shutil.which("redis-server")
    if server is None:
        return None, {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    socket = os.path.join(folder, "redis.sock")
    process = subprocess.Popen(
        [server, "--port", "0", "--unixsocket", socket, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if os.path.exists(socket):
            break
        time.sleep(0.05)
    location = f"unix://{socket}"
    return process, {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    }


def public_credential(data):
    from credentials import services
    from credentials.issuing.signing import sign_award
    from credentials.models import BadgeClass

    badge = BadgeClass.objects.get(slug="scale-badge")
    award = services.award(badge, data.learner)
    services.backpack.set_visibility(award, True, by=data.learner)
    return sign_award(award), badge


def main() -> None:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    from tests.learning import scale

    folder = tempfile.mkdtemp(prefix="bench-pagecache-")
    redis, caches = start_redis(folder)
    try:
        with override_settings(MEDIA_ROOT=os.path.join(folder, "media"), CACHES=caches):
            data = scale.build()
            award, badge = public_credential(data)
            issuer = badge.issuer
            pid = {"public_id": award.public_id}
            pages = {
                "catalogue": (data.catalogue.url, "text/html"),
                "course page": (data.course.url, "text/html"),
                "credential page": (reverse("credentials:award", kwargs=pid), "text/html"),
                "institution page": (
                    reverse("credentials:issuer", args=[issuer.slug]),
                    "text/html",
                ),
                "assertion.json": (reverse("credentials:award_ob2", kwargs=pid), "*/*"),
                "credential.json": (reverse("credentials:award_ob3", kwargs=pid), "*/*"),
                "issuer (OB2)": (
                    reverse("credentials:issuer_ob2", kwargs={"public_id": issuer.public_id}),
                    "*/*",
                ),
                "badge (OB2)": (
                    reverse("credentials:badge_ob2", kwargs={"public_id": badge.public_id}),
                    "*/*",
                ),
            }
            client = Client()
            results = {}
            with override_settings(ROOT_URLCONF=__name__):
                for mode in ("off", "on"):
                    with override_settings(PAGE_CACHE=mode):
                        for name, (url, accept) in pages.items():
                            results.setdefault(name, {})[mode] = measure(client, url, accept)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait()
        shutil.rmtree(folder, ignore_errors=True)
    backend = "Redis on a Unix socket" if redis is not None else "local memory"
    print(f"{'anonymous':<18}{'off ms':>8}{'share':>8}{'on ms':>8}{'share':>8}{'× faster':>10}")
    for name, modes in results.items():
        (off, base_off), (on, base_on) = modes["off"], modes["on"]
        print(
            f"{name:<18}{off:>8.2f}{base_off / off:>8.1%}{on:>8.2f}{base_on / on:>8.1%}"
            f"{off / on:>10.1f}"
        )
    print(
        f"(share: the bare view's median / the page's, their requests interleaved; {RUNS} runs "
        "each after 3 warm-ups; "
        f"SQLite in memory; cache: {backend})"
    )


if __name__ == "__main__":
    main()
