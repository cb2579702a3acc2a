"""cms/receivers.py and cms/checks.py: what bumps the page cache, how often, and the warning
when the cache is not shared by every process."""

import pytest
from django.core.cache import caches

from cms import checks
from credentials import services
from credentials.services.awards import Grant
from lib import pagecache
from tests.credentials.factories import make_badge, make_issuer

pytestmark = pytest.mark.django_db


@pytest.fixture
def bumps_written(monkeypatch):
    """Every write of new generations, as the set of tags written."""
    writes = []
    original = pagecache._write
    monkeypatch.setattr(
        pagecache, "_write", lambda tags: writes.append(set(tags)) or original(tags)
    )
    pagecache._pending.__dict__.clear()
    caches["default"].clear()
    return writes


@pytest.fixture
def receivers_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_many_awards_at_once_write_to_the_cache_at_most_once(
    bumps_written, receivers_media, django_capture_on_commit_callbacks
):
    badge = make_badge(make_issuer("bulkuni"))
    pagecache._pending.__dict__.clear()
    bumps_written.clear()
    grants = [Grant(recipient=f"person{n}@example.org") for n in range(30)]
    with django_capture_on_commit_callbacks(execute=True):
        services.award_many(badge, grants)
    assert len(bumps_written) <= 1  # new awards bump nothing; their signing, once together


def test_a_revocation_bumps_the_awards_own_tag(
    bumps_written, receivers_media, learner, django_capture_on_commit_callbacks
):
    made = services.award(make_badge(make_issuer("revokeuni")), learner)
    pagecache._pending.__dict__.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(made, "Mistake", None)
    assert {pagecache.award_tag(made.public_id)} in bumps_written


def test_a_page_published_bumps_the_pages_tag(bumps_written, django_capture_on_commit_callbacks):
    from cms.services import ensure_home_page

    home = ensure_home_page(hero_title="Hello", hero_intro="Intro")
    pagecache._pending.__dict__.clear()
    home.title = "Hello again"
    with django_capture_on_commit_callbacks(execute=True):
        home.save_revision().publish()
    assert any(pagecache.PAGES in tags for tags in bumps_written)


def test_check_deploy_warns_when_the_page_cache_is_on_without_a_shared_cache(settings):
    settings.DEBUG = False
    settings.PAGE_CACHE = "on"
    assert [m.id for m in checks.check_page_cache_is_shared()] == ["cms.W001"]
    settings.PAGE_CACHE = "auto"
    assert [m.id for m in checks.check_page_cache_is_shared()] == ["cms.W002"]
    settings.PAGE_CACHE = "off"
    assert checks.check_page_cache_is_shared() == []


def test_check_deploy_is_quiet_with_a_shared_cache(settings):
    settings.DEBUG = False
    settings.PAGE_CACHE = "on"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1",
        }
    }
    assert checks.check_page_cache_is_shared() == []
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_a_partnership_changed_bumps_the_pages_tag(
    bumps_written, django_capture_on_commit_callbacks
):
    """Case studies (Wagtail pages) show their partnership's name and summary."""
    from datetime import date

    from partnerships.models import Member, Partnership

    with django_capture_on_commit_callbacks(execute=True):
        partnership = Partnership.objects.create(
            name="Old name", slug="cache-partnership", summary="s", started_on=date(2026, 1, 1)
        )
    bumps_written.clear()
    pagecache._pending.__dict__.clear()
    with django_capture_on_commit_callbacks(execute=True):
        partnership.name = "New name"
        partnership.save()
    assert {pagecache.PAGES} in bumps_written
    bumps_written.clear()
    pagecache._pending.__dict__.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Member.objects.create(
            partnership=partnership, issuer=make_issuer("cacheuni"), role=Member.Role.UNIVERSITY
        )
    assert any(pagecache.PAGES in tags for tags in bumps_written)
