"""Settings the cms app reads beyond the project's own (``cms/settings``): the page cache's.
Read them as ``from cms.conf import settings as conf``; an undeclared name fails. The README's
settings table lists each (a test checks it).
"""

from lib.appsettings import AppSettings, Setting


def _mode(raw: str) -> str:
    value = raw.strip().lower()
    if value not in ("auto", "on", "off"):
        raise ValueError(f"must be auto, on or off, not {raw!r}")
    return value


settings = AppSettings(
    "cms",
    PAGE_CACHE=Setting(
        "auto",
        "Answer anonymous visitors' catalogue, course, credential and institution pages and the "
        "hosted JSON documents from the shared cache (lib/pagecache.py): `auto` — only when the "
        "cache is shared by every process (`REDIS_URL`), `on` — always (one process, tests), "
        "`off`. `check --deploy` warns when it is on without a shared cache.",
        _mode,
    ),
    PAGE_CACHE_SECONDS=Setting(
        300,
        "Longest time an answer stays in the page cache; changes (publishing, revoking, "
        "privacy, issuer and badge edits) drop it at once anyway.",
        int,
    ),
)
