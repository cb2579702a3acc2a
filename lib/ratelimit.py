"""A fixed-window rate limit kept in a cache: count one event for a key, and say how long to
wait once the key is over its limit. Pure: the cache (Django's, or any object with ``add``,
``incr`` and ``set``) and the clock are handed in; imports nothing of ours."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def hit(
    cache: Any, key: str, limit: int, window: int, clock: Callable[[], float] = time.time
) -> int | None:
    """Count one event for ``key`` in the current ``window`` (seconds); the seconds to wait
    when that makes more than ``limit`` events in the window, else None."""
    slot = int(clock() // window)
    slot_key = f"{key}:{slot}"
    if cache.add(slot_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(slot_key)
        except ValueError:  # the entry expired between add and incr
            cache.set(slot_key, 1, timeout=window + 1)
            count = 1
    if count > limit:
        return max(1, int((slot + 1) * window - clock()))
    return None
