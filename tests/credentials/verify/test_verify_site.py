"""What the verifier keeps of this platform's records, and when it forgets it.

Our institutions (name, Profile and keys) and our awards' revocation are read once and kept in
the cache until they change: a renamed institution, a rotated key or a revocation shows at the
very next check. Each invalidation is proven here.
"""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from credentials import services
from credentials.issuing import baking, keystore
from credentials.verify import site as verify_site
from credentials.verify.site import verify

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("verify_isolation")]


def check(award, **options):
    return verify(json.dumps(award.ob3_credential), **options)


def test_a_check_of_our_credential_reads_nothing_twice(
    northbridge_award, django_assert_num_queries
):
    assert check(northbridge_award).verdict == "valid"
    with django_assert_num_queries(0):  # institution, Profile, keys and status: all kept
        assert check(northbridge_award).verdict == "valid"


def test_a_renamed_institution_is_named_anew_at_the_next_check(northbridge_award):
    assert check(northbridge_award).issuer_trust["name"] == "Northbridge University of Technology"
    issuer = northbridge_award.badge_class.issuer
    issuer.name = "Northbridge Tech"
    issuer.save()

    assert check(northbridge_award).issuer_trust["name"] == "Northbridge Tech"


def test_a_new_name_reaches_the_impersonation_check_at_once(northbridge, db):
    from credentials.standards import keys
    from tests.credentials.forgery_support import did_key_credential, sign_with_did_key

    mallory = keys.generate_ed25519_key()
    forged = json.dumps(sign_with_did_key(did_key_credential("Helix Robotics", mallory), mallory))
    assert verify(forged).verdict == "valid"  # no institution of that name, yet

    northbridge.name = "Helix Robotics"
    northbridge.save()

    assert verify(forged).problem == "impersonation"


def test_a_credential_signed_with_a_rotated_key_verifies_at_once(
    northbridge_award, northbridge_badge, learner
):
    assert check(northbridge_award).verdict == "valid"  # the Profile is kept now
    keystore.rotate_keys(northbridge_badge.issuer)

    fresh = baking.sign_award(services.award(northbridge_badge, "ada@example.org"))

    assert check(fresh).verdict == "valid"
    assert verify(fresh.ob3_jwt).verdict == "valid"
    assert check(northbridge_award).verdict == "valid"  # the retired key stays published


def test_a_revocation_shows_at_the_next_check_whatever_was_kept(
    northbridge_award, staff_of_award_issuer
):
    assert check(northbridge_award).verdict == "valid"

    services.revoke(northbridge_award, "Awarded in error", staff_of_award_issuer(northbridge_award))

    result = check(northbridge_award)
    assert result.verdict == "revoked"
    assert result.revocation["reason"] == "Awarded in error"


def test_saving_an_award_for_other_reasons_keeps_what_the_verifier_knows(
    northbridge_award, monkeypatch
):
    forgotten = []
    monkeypatch.setattr(verify_site, "forget_award", forgotten.append)
    northbridge_award.is_public = True
    northbridge_award.save(update_fields=["is_public"])
    assert forgotten == []
    northbridge_award.revocation_reason = "x"
    northbridge_award.save(update_fields=["revocation_reason"])
    assert forgotten == [northbridge_award]


def test_a_change_is_forgotten_again_when_its_transaction_commits(
    northbridge_award, django_capture_on_commit_callbacks
):
    """Another process may read the old state between the save and the commit."""
    from credentials.issuing import links

    issuer = northbridge_award.badge_class.issuer
    kept = verify_site._issuer_cache_key(links.issuer_profile_url(issuer))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        issuer.save()
    assert check(northbridge_award).verdict == "valid"
    assert cache.get(kept) is not None  # kept again, possibly from the old state

    for callback in callbacks:
        callback()

    assert cache.get(kept) is None


@pytest.fixture
def staff_of_award_issuer(make_user):
    from cms import roles

    def make(award):
        user = make_user("registrar@northbridge.example", roles.ISSUER_STAFF)
        award.badge_class.issuer.staff.add(user)
        return user

    return make


def test_what_an_earlier_release_cached_is_never_read(northbridge_award):
    """Release 5c70630 cached our award's standing as a ``credentials.verify_site.AwardStatus``
    under ``verify-site:award:<id>``; that module is gone, so reading such an entry would raise
    and the credential would read as "not a badge" until it expired."""
    import pickle

    from credentials.verify.records import AwardStatus

    old = pickle.dumps(AwardStatus(issuer_public_id="x", revoked=True), protocol=0)
    old = old.replace(b"credentials.verify.records", b"credentials.verify_site")
    for key in (
        f"verify-site:award:{northbridge_award.public_id}",
        "verify-site:issuer-names",
    ):
        raw_key = cache.make_and_validate_key(key)
        cache._cache[raw_key] = old  # as the earlier release's pickle sits in the cache
        cache._expire_info[raw_key] = None

    assert check(northbridge_award).verdict == "valid"
