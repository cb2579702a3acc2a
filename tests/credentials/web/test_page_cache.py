"""A credential's page, its hosted documents and an institution's page from the shared page
cache (lib/pagecache.py): only public answers to anonymous visitors are kept, each variant
apart, and a revocation, a privacy change, an issuer or badge edit, an endorsement withdrawn or
a key rotation shows at once."""

import json
import uuid
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from credentials import services
from credentials.issuing import keystore
from credentials.issuing.signing import sign_award
from credentials.models import Award, Issuer, IssuerKey
from lib import pagecache
from tests.credentials.factories import make_badge, make_issuer

pytestmark = pytest.mark.django_db
LD = "application/ld+json"
DOCUMENTS = ["award_ob2", "award_ob2_signed", "award_ob3", "award_jwt"]


@pytest.fixture
def credential_page_cache(settings):
    settings.PAGE_CACHE = "on"
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def commit_block(django_capture_on_commit_callbacks):
    """The block stands for a transaction that commits: the purges it gathers run at its end.
    (The test's own transaction never commits, so what it gathered before is dropped.)"""

    def block():
        pagecache._pending.__dict__.clear()
        return django_capture_on_commit_callbacks(execute=True)

    return block


@pytest.fixture
def shown(given, commit_block):
    """The signed award with evidence, made public by its learner."""
    with commit_block():
        services.backpack.set_visibility(given, True, by=given.recipient)
    return Award.objects.get(pk=sign_award(given).pk)


@pytest.fixture
def plain_private(db, media_root, learner):
    """A private award whose documents carry only the hashed e-mail (open, never kept)."""
    issuer = make_issuer("plain", learner_identification=Issuer.LearnerIdentification.EMAIL)
    return services.award(make_badge(issuer, "plain-badge"), learner)


def url(name: str, award=None, **kwargs) -> str:
    if award is not None:
        kwargs["public_id"] = award.public_id
    return reverse(f"credentials:{name}", kwargs=kwargs)


def stored() -> int:
    """How many answers the page cache holds (the test cache is local memory)."""
    return sum(pagecache.ENTRY_PREFIX in key for key in caches["default"]._cache)


def test_a_public_credential_page_is_stored_once_and_served_again(
    client, credential_page_cache, shown
):
    first = client.get(url("award", shown), HTTP_ACCEPT="text/html")
    assert first.status_code == 200 and stored() == 1
    again = client.get(url("award", shown), HTTP_ACCEPT="text/html")
    assert again.content == first.content
    assert again["Content-Security-Policy"] and again["X-Content-Type-Options"] == "nosniff"
    assert stored() == 1


def test_the_page_and_each_json_variant_are_kept_apart(client, credential_page_cache, shown):
    page = client.get(url("award", shown), HTTP_ACCEPT="text/html")
    ld = client.get(url("award", shown), HTTP_ACCEPT=LD)
    plain = client.get(url("award", shown), HTTP_ACCEPT="application/json")
    assert page["Content-Type"].startswith("text/html")
    assert ld["Content-Type"] == LD and plain["Content-Type"] == "application/json"
    for _ in range(2):
        assert client.get(url("award", shown), HTTP_ACCEPT=LD)["Content-Type"] == LD
        again = client.get(url("award", shown), HTTP_ACCEPT="text/html")
        assert again["Content-Type"].startswith("text/html")
        assert (
            client.get(url("award_ob2", shown), HTTP_ACCEPT="application/json")["Content-Type"]
            == "application/json"
        )
        assert client.get(url("award_ob2", shown))["Content-Type"] == LD
    assert json.loads(ld.content)["id"] == url("award", shown).join(["http://testserver", ""])


def test_a_cached_document_answers_a_matching_etag_with_304(client, credential_page_cache, shown):
    first = client.get(url("award_ob3", shown))
    assert client.get(url("award_ob3", shown)).status_code == 200  # from the cache
    again = client.get(url("award_ob3", shown), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_a_signed_in_owner_never_gets_the_anonymous_copy(
    client, credential_page_cache, shown, learner
):
    client.get(url("award", shown), HTTP_ACCEPT="text/html")
    client.force_login(learner)
    mine = client.get(url("award", shown), HTTP_ACCEPT="text/html").content.decode()
    assert "csrfmiddlewaretoken" in mine  # the owner's own controls (make private)
    client.logout()
    anonymous = client.get(url("award", shown), HTTP_ACCEPT="text/html").content.decode()
    assert "csrfmiddlewaretoken" not in anonymous


def test_a_private_award_is_never_served_from_the_cache(
    client, credential_page_cache, plain_private, learner
):
    """Its documents (only the hashed e-mail) are open to anyone but never kept."""
    for name in DOCUMENTS:
        assert client.get(url(name, plain_private)).status_code == 200
    assert client.get(url("award", plain_private), HTTP_ACCEPT="text/html").status_code == 404
    assert stored() == 0


def test_revoking_shows_revoked_at_once_on_the_page_and_the_documents(
    client, credential_page_cache, shown, staff, commit_block
):
    client.get(url("award", shown), HTTP_ACCEPT="text/html")
    for name in DOCUMENTS:
        assert client.get(url(name, shown)).status_code == 200
    with commit_block():
        services.revoke(shown, "Plagiarism", staff)
    page = client.get(url("award", shown), HTTP_ACCEPT="text/html").content.decode()
    assert "Plagiarism" in page
    assert client.get(url("award_ob2", shown)).status_code == 410
    assert client.get(url("award", shown), HTTP_ACCEPT=LD).status_code == 410


def test_made_private_is_404_at_once_and_public_again_visible(
    client, credential_page_cache, shown, commit_block
):
    assert client.get(url("award", shown), HTTP_ACCEPT="text/html").status_code == 200
    assert client.get(url("award_ob3", shown)).status_code == 200
    with commit_block():
        services.backpack.set_visibility(shown, False, by=shown.recipient)
    assert client.get(url("award", shown), HTTP_ACCEPT="text/html").status_code == 404
    assert client.get(url("award_ob3", shown)).status_code == 404  # it carries evidence
    with commit_block():
        services.backpack.set_visibility(shown, True, by=shown.recipient)
    assert client.get(url("award", shown), HTTP_ACCEPT="text/html").status_code == 200


def test_an_award_made_after_a_404_is_found_at_once(client, credential_page_cache, badge, learner):
    """Nothing is purged for a new award (a bulk award writes nothing per award to the cache):
    an answer that is not a 200 is never kept."""
    waiting = uuid.uuid4()
    assert client.get(url("award_ob2", public_id=waiting)).status_code == 404
    made = services.award(badge, learner)
    Award.objects.filter(pk=made.pk).update(public_id=waiting, is_public=True)
    assert client.get(url("award_ob2", public_id=waiting)).status_code == 200


def test_an_expiring_award_is_kept_no_longer_than_it_is_valid(
    client, credential_page_cache, shown, monkeypatch
):
    Award.objects.filter(pk=shown.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    client.get(url("award", shown), HTTP_ACCEPT="text/html")
    assert stored() == 0


def test_an_issuer_edit_shows_at_once(client, credential_page_cache, shown, uni, commit_block):
    for name in ("issuer_ob2", "issuer_profile"):
        client.get(url(name, public_id=uni.public_id))
    client.get(reverse("credentials:issuer", args=[uni.slug]))
    client.get(url("award", shown), HTTP_ACCEPT="text/html")
    uni.name = "Technical University Renamed"
    with commit_block():
        uni.save()
    for name in ("issuer_ob2", "issuer_profile"):
        assert (
            b"Technical University Renamed"
            in client.get(url(name, public_id=uni.public_id)).content
        )
    assert (
        b"Technical University Renamed"
        in client.get(reverse("credentials:issuer", args=[uni.slug])).content
    )
    assert (
        b"Technical University Renamed"
        in client.get(url("award", shown), HTTP_ACCEPT="text/html").content
    )


def test_a_badge_edit_shows_at_once(client, credential_page_cache, shown, badge, uni, commit_block):
    client.get(url("badge_ob2", public_id=badge.public_id))
    client.get(reverse("credentials:issuer", args=[uni.slug]))
    badge.name = "Opportunity Spotter, Second Edition"
    with commit_block():
        badge.save()
    assert b"Second Edition" in client.get(url("badge_ob2", public_id=badge.public_id)).content
    assert b"Second Edition" in client.get(reverse("credentials:issuer", args=[uni.slug])).content


def test_a_withdrawn_endorsement_answers_410_at_once(
    client, credential_page_cache, badge, other_issuer, other_staff, staff, commit_block
):
    endorsement = services.endorsements.endorse(badge, other_issuer, "Solid work.", other_staff)
    address = url("endorsement_ob2", public_id=endorsement.public_id)
    assert client.get(address).status_code == 200
    assert client.get(address).status_code == 200
    with commit_block():  # the badge's own institution withdraws it (no e-mail is sent)
        services.endorsements.withdraw(endorsement, staff)
    assert client.get(address).status_code == 410


def test_a_key_rotation_shows_the_new_key_at_once(client, credential_page_cache, uni, commit_block):
    keystore.ensure_keys(uni)
    address = url("issuer_profile", public_id=uni.public_id)
    before = client.get(address).content
    with commit_block():
        made = keystore.rotate_keys(uni, [IssuerKey.Algorithm.ED25519])
    after = client.get(address).content
    assert after != before and made[0].key_id.encode() in after
