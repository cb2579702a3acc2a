"""Counting checks of our credentials: once per credential, verifier and day, and only a
genuine verdict about one of our own institutions' credentials."""

from datetime import date

import pytest

from credentials.issuing import links
from credentials.models import VerificationEvent
from credentials.services import verifications
from credentials.services.verifications import checks_by_badge, record_check, verifier_key
from tests.credentials.factories import make_badge, make_issuer

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY = date(2026, 5, 4), date(2026, 5, 5)


def check(award, verifier="203.0.113.7", day=MONDAY, verdict="valid", **overrides) -> bool:
    """One verifier's answer about ``award``, as the verify page hands it over."""
    arguments = {
        "credential_id": links.award_url(award),
        "issuer_id": links.issuer_profile_url(award.badge_class.issuer),
        "verdict": verdict,
        "verifier": verifier_key(day=day, address=verifier),
        "day": day,
        **overrides,
    }
    return record_check(**arguments)


def test_a_valid_check_is_counted(given):
    assert check(given)
    event = VerificationEvent.objects.get()
    assert (event.award, event.day, event.verdict) == (given, MONDAY, "valid")


def test_the_same_verifier_twice_on_a_day_counts_once(given):
    assert check(given)
    assert not check(given)
    assert not check(given, verdict="not_recipient")
    assert VerificationEvent.objects.count() == 1


def test_two_verifiers_count_twice(given):
    check(given, verifier="203.0.113.7")
    check(given, verifier="198.51.100.4")
    assert VerificationEvent.objects.count() == 2


def test_the_same_verifier_on_another_day_counts_again(given):
    check(given, day=MONDAY)
    check(given, day=TUESDAY)
    assert sorted(VerificationEvent.objects.values_list("day", flat=True)) == [MONDAY, TUESDAY]


@pytest.mark.parametrize("verdict", ["revoked", "expired", "not_recipient"])
def test_a_genuine_verdict_about_the_standing_counts(given, verdict):
    assert check(given, verdict=verdict)


@pytest.mark.parametrize(
    "verdict", ["tampered", "not_a_badge", "unknown_issuer", "status_unknown", "not_yet_valid"]
)
def test_a_verdict_that_is_not_about_our_genuine_credential_does_not_count(given, verdict):
    assert not check(given, verdict=verdict)
    assert not VerificationEvent.objects.exists()


def test_a_document_whose_issuer_is_not_ours_does_not_count(given):
    # A credential signed by someone else that names our credential's address.
    assert not check(given, issuer_id="")
    assert not check(given, issuer_id="https://forger.example/issuer")
    assert not VerificationEvent.objects.exists()


def test_another_institution_of_ours_cannot_count_for_a_credential_it_did_not_issue(given):
    other = make_issuer("other-uni")
    assert not check(given, issuer_id=links.issuer_profile_url(other))
    assert not check(given, issuer_id=links.issuer_ob2_url(other))
    assert check(given, issuer_id=links.issuer_ob2_url(given.badge_class.issuer))


@pytest.mark.parametrize(
    "address",
    [
        "http://elsewhere.example/credentials/{id}/",
        "http://testserver/credentials/{id}/?copy=1",
        "http://testserver/credentials/00000000-0000-0000-0000-000000000000/",
        "http://testserver/institutions/",
        "urn:uuid:{id}",
        "",
    ],
)
def test_an_address_that_is_not_exactly_one_of_our_awards_does_not_count(given, address):
    assert not check(given, credential_id=address.format(id=given.public_id))


def test_each_public_address_of_the_award_counts_as_the_same_credential(given):
    assert check(given, credential_id=links.absolute("award_ob3", public_id=given.public_id))
    assert not check(given, credential_id=links.absolute("award_ob2", public_id=given.public_id))
    assert VerificationEvent.objects.get().award == given


def test_the_holder_or_the_issuers_staff_checking_do_not_count(given, learner, staff):
    assert not check(given, user=learner)
    assert not check(given, user=staff)
    assert not VerificationEvent.objects.exists()


def test_another_signed_in_person_counts(given, other_learner):
    assert check(given, user=other_learner)


def test_the_verifier_key_holds_no_address_and_changes_with_the_day():
    key = verifier_key(day=MONDAY, address="203.0.113.7")
    assert len(key) == 64 and "203.0.113.7" not in key
    assert key == verifier_key(day=MONDAY, address="203.0.113.7")
    assert key != verifier_key(day=TUESDAY, address="203.0.113.7")
    assert key != verifier_key(day=MONDAY, address="203.0.113.8")
    signed_in = verifier_key(day=MONDAY, user_id=7, address="203.0.113.7")
    assert signed_in == verifier_key(day=MONDAY, user_id=7, address="198.51.100.4")


def test_an_ipv6_client_is_its_64_and_a_mapped_ipv4_client_its_address():
    same = verifier_key(day=MONDAY, address="2001:db8:1:2::7")
    assert same == verifier_key(day=MONDAY, address="2001:db8:1:2:ffff:1:2:3")
    assert same != verifier_key(day=MONDAY, address="2001:db8:1:3::7")
    mapped = verifier_key(day=MONDAY, address="::ffff:203.0.113.7")
    assert mapped == verifier_key(day=MONDAY, address="203.0.113.7")
    assert verifications.client_network("not an address") == "not an address"


def test_the_figure_counts_verifier_days_by_badge(given, badge, learner, uni):
    quiet = make_badge(uni, "quiet")
    check(given, verifier="a")
    check(given, verifier="a")
    check(given, verifier="b")
    check(given, verifier="a", day=TUESDAY)
    assert checks_by_badge([badge, quiet]) == {badge.pk: 3}
    assert verifications.checks_of(given) == 3
