"""Revocation status with herd privacy: one Bitstring Status List per issuer and purpose,
random positions, a ttl; and the badge lists of awards made before, still served for them."""

import pytest
from django.db import IntegrityError, transaction

from credentials import services
from credentials.issuing import links, openbadges3
from credentials.issuing.signing import sign_award
from credentials.models import Award, StatusList
from credentials.standards import statuslist
from credentials.standards.dataintegrity import verify_eddsa_rdfc_2022
from tests.credentials.factories import make_badge
from tests.credentials.issuing.test_ob3 import ed25519_resolver
from tests.credentials.legacy_ob3 import legacy_award

pytestmark = pytest.mark.django_db


def _bits(document):
    return statuslist.BitstringStatusList.decode(document["credentialSubject"]["encodedList"])


@pytest.fixture
def second_badge(uni):
    return make_badge(uni, slug="second-badge")


def test_two_badges_of_an_issuer_share_one_list_with_random_distinct_positions(
    badge, second_badge, uni
):
    given = services.award_many(
        badge, [services.Grant(f"p{n}@example.org") for n in range(20)]
    ) + services.award_many(second_badge, [services.Grant(f"q{n}@example.org") for n in range(20)])
    awards = [award for award, _created in given]
    [the_list] = StatusList.objects.filter(issuer=uni)
    assert the_list.purpose == "revocation" and the_list.length >= statuslist.MIN_ENTRIES
    assert {award.status_list_id for award in awards} == {the_list.pk}
    positions = [award.status_index for award in awards]
    assert len(set(positions)) == 40
    assert all(0 <= p < the_list.length for p in positions)
    assert positions != sorted(positions)  # drawn at random, not handed out in order
    assert max(positions) > 1000  # (40 draws below 1000 out of 131072: about 1e-64)


def test_the_issuers_list_is_long_enough_for_herd_privacy_and_grows_before_half_full():
    assert statuslist.grown_length(statuslist.MIN_ENTRIES, 0, 1) == 131_072
    assert statuslist.grown_length(131_072, 65_530, 6) == 131_072
    assert statuslist.grown_length(131_072, 65_530, 7) == 262_144
    assert statuslist.grown_length(1000, 0, 1) == statuslist.MIN_ENTRIES


def test_draws_skip_positions_already_taken():
    taken = set(range(0, statuslist.MIN_ENTRIES, 2))  # every even position
    drawn = statuslist.draw_indexes(100, statuslist.MIN_ENTRIES, lambda c: c & taken)
    assert len(set(drawn)) == 100 and all(p % 2 for p in drawn)
    with pytest.raises(statuslist.StatusListError):
        statuslist.draw_indexes(3, statuslist.MIN_ENTRIES, lambda c: c)  # all taken


def test_two_awards_cannot_share_a_position_in_a_list(badge, learner):
    award = services.award(badge, learner)
    other = services.award(badge, "other@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.filter(pk=other.pk).update(status_index=award.status_index)


def test_awarding_retries_when_a_drawn_position_was_taken_meanwhile(badge, monkeypatch):
    first = services.award(badge, "first@example.org")
    draws = iter([[first.status_index], [7]])
    monkeypatch.setattr(statuslist, "draw_indexes", lambda count, length, taken: next(draws))
    second = services.award(badge, "second@example.org")
    assert second.status_index == 7 and second.status_list_id == first.status_list_id


def test_awarding_twice_changes_nothing(badge, learner):
    grants = [services.Grant(learner), services.Grant("x@example.org")]
    first = services.award_many(badge, grants)
    again = services.award_many(badge, grants)
    assert [(a.pk, a.status_index) for a, _ in again] == [(a.pk, a.status_index) for a, _ in first]
    assert [created for _, created in again] == [False, False]


def test_the_issuer_list_is_served_signed_with_a_ttl_and_revocation_flips_the_bit(
    client, badge, second_badge, learner, staff
):
    award = sign_award(services.award(badge, learner))
    neighbour = services.award(second_badge, learner)
    url = links.issuer_status_list_url(badge.issuer)
    assert url == award.ob3_credential["credentialStatus"]["statusListCredential"]
    document = client.get(url).json()
    assert document["id"] == url and document["credentialSubject"]["ttl"] == 300_000
    assert isinstance(document["proof"], list)
    assert verify_eddsa_rdfc_2022(document, ed25519_resolver(badge.issuer)) == (True, "verified")
    assert _bits(document).get(award.status_index) == 0
    services.revoke(award, "Awarded by mistake", staff)
    after = _bits(client.get(url).json())
    assert after.get(award.status_index) == 1
    assert after.get(neighbour.status_index) == 0


def test_a_list_that_does_not_exist_is_not_found(client, uni):
    assert client.get(links.issuer_status_list_url(uni)).status_code == 404
    assert client.get(links.issuer_status_list_url(uni, "suspension")).status_code == 404


# Awards made before per-issuer lists


def test_an_old_credential_still_verifies_and_its_badge_list_marks_it_revoked(
    client, badge, learner, staff
):
    old = legacy_award(badge, learner)
    document = old.ob3_credential
    assert isinstance(document["proof"], dict)  # a single proof, as signed then
    assert isinstance(document["@context"][-1], dict)  # the inline EU context of that era
    resolver = ed25519_resolver(badge.issuer)
    assert verify_eddsa_rdfc_2022(document, resolver) == (True, "verified")
    assert openbadges3.as_proof_set(document)["proof"] == [document["proof"]]
    assert verify_eddsa_rdfc_2022(openbadges3.as_proof_set(document), resolver)[0]

    new = services.award(badge, "new@example.org")
    url = document["credentialStatus"]["statusListCredential"]
    assert url == links.status_list_url(badge) != links.issuer_status_list_url(badge.issuer)
    client.force_login(learner)  # private: its documents are the learner's (test_privacy.py)
    served = client.get(links.absolute("award_ob3", public_id=old.public_id)).json()
    assert served == document  # stored documents are served as they were signed

    services.revoke(old, "Awarded by mistake", staff)
    badge_list = client.get(url).json()
    assert verify_eddsa_rdfc_2022(badge_list, resolver) == (True, "verified")
    assert _bits(badge_list).get(old.status_index) == 1
    assert badge_list["credentialSubject"]["ttl"] == 300_000
    issuer_list = openbadges3.issuer_status_list_credential(new.status_list)
    assert sum(_bits(issuer_list).to_bytes()) == 0  # the old award is not in the issuer's list


def test_the_badge_list_holds_only_the_old_awards(client, badge, learner, staff):
    new = services.award(badge, learner)
    assert client.get(links.status_list_url(badge)).status_code == 404
    services.revoke(new, "Awarded by mistake", staff)
    old = legacy_award(badge, "old@example.org")
    assert old.status_index == 0
    document = openbadges3.status_list_credential(badge)
    assert _bits(document).get(new.status_index) == 0  # the new award's bit is elsewhere
