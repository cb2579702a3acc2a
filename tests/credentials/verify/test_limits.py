"""The fetcher's caps on what an answer may declare (credentials.verify.limits)."""

from __future__ import annotations

import time

import pytest

from credentials.verify.limits import FetchError, read_capped


class _Answer:
    """Just enough of an http.client.HTTPResponse: a declared length and a body."""

    def __init__(self, declared: str | None, body: bytes = b"") -> None:
        self.declared = declared
        self.body = body

    def getheader(self, name: str) -> str | None:
        return self.declared if name == "Content-Length" else None

    def read(self, size: int) -> bytes:
        chunk, self.body = self.body[:size], self.body[size:]
        return chunk


@pytest.mark.parametrize("declared", ["\u00b2", "\u0663", "\uff11\uff12"])
def test_a_length_in_digits_other_than_ascii_is_not_read_as_a_number(declared):
    # str.isdigit() says yes to these; int() would raise ValueError (a 500 upstream).
    assert read_capped(_Answer(declared, b"{}"), 10, time.monotonic() + 5) == b"{}"


def test_a_declared_length_over_the_cap_is_refused_before_reading():
    with pytest.raises(FetchError) as caught:
        read_capped(_Answer("11", b""), 10, time.monotonic() + 5)
    assert caught.value.kind == "too_large"


def test_a_body_over_the_cap_is_refused_whatever_was_declared():
    with pytest.raises(FetchError):
        read_capped(_Answer("\u00b2", b"x" * 11), 10, time.monotonic() + 5)
