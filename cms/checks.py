"""System checks of the cms app (``manage.py check --deploy``).

The page cache (lib/pagecache.py) is correct only when every web process reads the same cache:
a change (a revocation, a page unpublished) drops the stored answers in the cache the changing
process writes to, and a process with a cache of its own would go on serving its old copy.
"""

from django.conf import settings as django_settings
from django.core import checks

from cms.conf import settings as conf
from lib import pagecache

HINT = (
    "Set REDIS_URL so the processes share one cache (the page cache then turns itself on), or "
    "set PAGE_CACHE=off."
)


@checks.register("cms", deploy=True)
def check_page_cache_is_shared(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if django_settings.DEBUG or pagecache.backend_is_shared():
        return []
    if conf.PAGE_CACHE == "on":
        return [
            checks.Warning(
                "PAGE_CACHE is on but the cache is local to each process: a revocation or "
                "an unpublished page would still be served by the other processes.",
                hint=HINT,
                id="cms.W001",
            )
        ]
    if conf.PAGE_CACHE == "auto":
        return [
            checks.Warning(
                "The page cache is off: the cache is local to each process (no REDIS_URL), so "
                "anonymous pages and hosted documents are rendered for every request.",
                hint=HINT,
                id="cms.W002",
            )
        ]
    return []
