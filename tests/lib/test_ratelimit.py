"""lib.ratelimit: a fixed window per key, counted in a cache, the wait said in seconds."""

from django.core.cache.backends.locmem import LocMemCache

from lib import ratelimit


def fresh_cache():
    return LocMemCache("ratelimit-tests", {})


def test_the_limit_admits_that_many_events_in_a_window_then_says_how_long_to_wait():
    cache, now = fresh_cache(), 1_000_000.0  # 40 s into a 60 s window
    verdicts = [ratelimit.hit(cache, "k", 3, 60, clock=lambda: now) for _ in range(4)]
    assert verdicts[:3] == [None, None, None]
    assert verdicts[3] == 20


def test_each_key_and_each_window_count_apart():
    cache = fresh_cache()
    assert ratelimit.hit(cache, "a", 1, 60, clock=lambda: 0.0) is None
    assert ratelimit.hit(cache, "b", 1, 60, clock=lambda: 0.0) is None
    assert ratelimit.hit(cache, "a", 1, 60, clock=lambda: 0.0) == 60
    assert ratelimit.hit(cache, "a", 1, 60, clock=lambda: 60.0) is None  # the next window


def test_an_entry_that_expired_between_add_and_incr_starts_again():
    class Forgetful:
        def add(self, key, value, timeout):
            return False

        def incr(self, key):
            raise ValueError(key)

        def set(self, key, value, timeout):
            self.stored = (key, value, timeout)

    cache = Forgetful()
    assert ratelimit.hit(cache, "k", 1, 60, clock=lambda: 0.0) is None
    assert cache.stored == ("k:0", 1, 61)
