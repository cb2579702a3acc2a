"""credentials.verify.engine on its own: it uses only what it is handed.

No database (these tests have no ``db`` fixture, so a query would fail the verification), no
Django settings, no network: an in-memory web of documents as the fetcher, fake records of
the site, a dict as the cache, the settings' values and a clock.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from credentials.verify.engine import Settings, verify
from credentials.verify.fetch import FetchError, FetchResult
from credentials.verify.records import AwardStatus, KnownIssuer
from tests.credentials.verify_helpers import ExternalIssuer

SITE = "https://academy.example"


class MemoryWeb:
    """Documents by address, served to the verifier as a fetcher (a DocServer look-alike)."""

    def __init__(self, base: str = "https://issuer.example") -> None:
        self.base = base
        self.routes: dict[str, tuple[int, bytes]] = {}
        self.fetched: list[str] = []

    def url(self, path: str) -> str:
        return self.base + path

    def json(self, path: str, document: Any, status: int = 200, content_type: str = "") -> str:
        self.routes[self.url(path)] = (status, json.dumps(document).encode())
        return self.url(path)

    def __call__(self, url: str, *, accept: str = "", **options: Any) -> FetchResult:
        self.fetched.append(url)
        status, body = self.routes.get(url, (404, b"not found"))
        return FetchResult(url=url, status=status, content_type="application/json", body=body)


class FakeRecords:
    """A site that knows the institutions and awards it is given, and nothing else."""

    def __init__(
        self,
        known: dict[str, KnownIssuer] | None = None,
        awards: dict[str, AwardStatus] | None = None,
    ) -> None:
        self.known = known or {}
        self.awards = awards or {}

    def is_site_address(self, url: str) -> bool:
        return url.startswith(SITE + "/")

    def issuer(self, issuer_id: str) -> KnownIssuer | None:
        return self.known.get(issuer_id)

    def published_profile(self, issuer_id: str) -> dict[str, Any] | None:
        return None

    def issuer_named(self, name: str) -> KnownIssuer | None:
        return None

    def badge_issuer(self, achievement_id: str) -> str | None:
        return None

    def endorsement_withdrawn(self, endorsement_id: str) -> bool | None:
        return None

    def award_status(self, credential_id: str) -> AwardStatus | None:
        return self.awards.get(credential_id)

    def award_url(self, public_id: str) -> str:
        return f"{SITE}/credentials/awards/{public_id}/ob3"


class DictCache:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.timeouts: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def set(self, key: str, value: Any, timeout: Any) -> None:
        self.values[key] = value
        self.timeouts[key] = timeout


def test_a_credential_is_verified_with_only_what_the_verifier_is_handed():
    web = MemoryWeb()
    issuer = ExternalIssuer(web)
    cache = DictCache()
    settings = Settings(status_cache_seconds=30, fetch_cache_seconds=45)

    result = verify(
        json.dumps(issuer.sign(issuer.credential())),
        fetcher=web,
        records=FakeRecords(),
        cache=cache,
        settings=settings,
    )

    assert result.verdict == "valid", result.as_dict()
    assert result.issuer_trust["kind"] == "domain"
    assert web.fetched == [issuer.id, issuer.status_url]
    timeouts = {key.split(":", 1)[0]: seconds for key, seconds in cache.timeouts.items()}
    assert timeouts == {"verify-status": 30, "verify-statuslist-ok": 45}


def test_the_status_list_is_read_from_the_handed_cache():
    web = MemoryWeb()
    issuer = ExternalIssuer(web)
    cache = DictCache()
    credential = json.dumps(issuer.sign(issuer.credential(7)))
    assert verify(credential, fetcher=web, records=FakeRecords(), cache=cache).verdict == "valid"

    issuer.revoke_index(7)
    kept = verify(credential, fetcher=web, records=FakeRecords(), cache=cache).verdict
    fresh = verify(credential, fetcher=web, records=FakeRecords(), cache=DictCache()).verdict

    assert (kept, fresh) == ("valid", "revoked")


def test_the_credential_is_checked_at_the_time_the_handed_clock_tells():
    web = MemoryWeb()
    issuer = ExternalIssuer(web)
    now = datetime.now(UTC)
    credential = json.dumps(
        issuer.sign(
            issuer.credential(
                valid_from=now + timedelta(days=10), valid_until=now + timedelta(days=20)
            )
        )
    )

    def at(moment: datetime) -> str:
        return verify(credential, fetcher=web, records=FakeRecords(), clock=lambda: moment).verdict

    assert at(now) == "not_yet_valid"
    assert at(now + timedelta(days=15)) == "valid"
    assert at(now + timedelta(days=30)) == "expired"


def test_an_award_uuid_is_looked_up_through_the_records():
    web = MemoryWeb()
    public_id = str(uuid.uuid4())

    result = verify(public_id.upper(), fetcher=web, records=FakeRecords())

    assert web.fetched == [f"{SITE}/credentials/awards/{public_id}/ob3"]
    assert (result.source, result.verdict, result.problem) == (
        "url",
        "unknown_issuer",
        "unreachable",
    )


def test_a_fetch_that_fails_is_a_verdict():
    def busy(url: str, **options: Any) -> FetchResult:
        raise FetchError("busy", "too many checks", url)

    result = verify("https://issuer.example/assertion", fetcher=busy, records=FakeRecords())

    assert (result.verdict, result.problem) == ("unknown_issuer", "busy")


def test_our_own_award_is_revoked_by_the_records_not_by_a_status_list():
    web = MemoryWeb()
    issuer = ExternalIssuer(web)
    credential = issuer.sign(issuer.credential())
    known = KnownIssuer(public_id="p-1", name="Helix Robotics Test", url="", page="")
    records = FakeRecords(
        known={issuer.id: known},
        awards={credential["id"]: AwardStatus("p-1", revoked=True, reason="Awarded in error")},
    )
    cache = DictCache()

    result = verify(json.dumps(credential), fetcher=web, records=records, cache=cache)

    assert result.verdict == "revoked"
    assert result.revocation["reason"] == "Awarded in error"
    assert result.issuer_trust["kind"] == "platform"
    assert issuer.status_url not in web.fetched
    assert cache.values == {}
