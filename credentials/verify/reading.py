"""Reading documents from strangers: JSON that may be hostile, values of any shape.

Small helpers every concern of the verifier shares; no knowledge of Open Badges beyond the
shapes of JSON-LD values (a value or a list, a language map, an ``id`` or an object with one).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from credentials.standards.jws import id_of

__all__ = [
    "JWS_RE",
    "URL_RE",
    "UUID_RE",
    "as_list",
    "contexts",
    "decode_segment",
    "id_of",
    "loads",
    "parse_date",
    "text",
    "types",
]

JWS_RE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$")
URL_RE = re.compile(r"^https?://\S+$", re.IGNORECASE)
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):  # language maps and the like
        for key in ("@value", "en", "narrative", "name"):
            if isinstance(value.get(key), str):
                return str(value[key])
    if value is None:
        return ""
    return str(value)


def types(document: Mapping[str, Any]) -> list[str]:
    return [str(t) for t in as_list(document.get("type") or document.get("@type"))]


def contexts(document: Mapping[str, Any]) -> list[Any]:
    return as_list(document.get("@context"))


def parse_date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    stripped = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(stripped)
    except ValueError:
        try:
            parsed = datetime.fromisoformat(stripped[:10])
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def loads(data: str | bytes) -> Any:
    """JSON from a stranger: ValueError for anything that is not valid JSON text.

    Python's parser accepts ``"\\ud800"`` escapes of lone surrogates, which are no
    characters at all and cannot be stored or shown: refused here, once, for every input.
    """
    document = json.loads(data)
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if _SURROGATE_ESCAPE.search(raw):
        try:
            json.dumps(document, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("the JSON holds an unpaired surrogate escape") from exc
    return document


def decode_segment(segment: str) -> Any:
    padded = segment + "=" * (-len(segment) % 4)
    return loads(base64.urlsafe_b64decode(padded.encode("ascii")))
