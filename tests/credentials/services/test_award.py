import pytest

from cms import roles
from credentials import services
from credentials.models import Award, BadgeClass
from credentials.services import AwardError, Evidence, award, revoke
from tests.credentials.factories import make_badge, make_issuer

pytestmark = pytest.mark.django_db


@pytest.fixture
def plain_badge(uni):
    return make_badge(uni)


def test_award_gives_the_badge_with_a_salted_hashed_identity(plain_badge, learner):
    given = award(plain_badge, learner, [Evidence(name="Quiz", narrative="Scored 90%")])
    assert given.recipient == learner and given.recipient_email == learner.email
    assert given.identity_hash == services.hash_identity(learner.email, given.salt)
    assert given.identity_hash.startswith("sha256$") and learner.email not in given.identity_hash
    assert given.evidence == [{"name": "Quiz", "narrative": "Scored 90%"}]


def test_awarding_twice_returns_the_first_award(plain_badge, learner):
    first = award(plain_badge, learner)
    assert award(plain_badge, learner) == first
    assert Award.objects.count() == 1


def test_a_reawardable_badge_awards_again_only_for_a_new_key(uni, learner):
    badge = make_badge(uni, "mentoring-session", allow_reaward=True)
    a = award(badge, learner, idempotency_key="session-1")
    assert award(badge, learner, idempotency_key="session-1") == a
    award(badge, learner, idempotency_key="session-2")
    assert Award.objects.count() == 2


def test_award_to_an_email_address_without_an_account(plain_badge):
    given = award(plain_badge, "Guest@Example.org")
    assert given.recipient is None and given.recipient_email == "guest@example.org"


def test_award_refuses_a_malformed_email(plain_badge):
    with pytest.raises(AwardError, match="not a valid e-mail"):
        award(plain_badge, "not-an-email")
    assert not Award.objects.exists()


def test_award_refuses_a_draft_badge(uni, learner):
    draft = make_badge(uni, "draft", status=BadgeClass.Status.DRAFT)
    with pytest.raises(AwardError, match="not published"):
        award(draft, learner)


def test_award_refuses_staff_of_another_issuer(plain_badge, learner, make_user):
    other = make_issuer("company")
    outsider = make_user("staff@company.example", roles.ISSUER_STAFF)
    other.staff.add(outsider)
    with pytest.raises(PermissionError):
        award(plain_badge, learner, awarded_by=outsider)
    assert not Award.objects.exists()


def test_award_refuses_evidence_without_name_or_narrative(plain_badge, learner):
    with pytest.raises(AwardError, match="evidence"):
        award(plain_badge, learner, [{"url": "https://example.org"}])
    assert not Award.objects.exists()


def test_awards_get_random_distinct_positions_in_their_issuers_status_list(plain_badge, make_user):
    people = [make_user(f"p{i}@example.org") for i in range(3)]
    given = [award(plain_badge, p) for p in people]
    assert len({a.status_index for a in given}) == 3
    assert {a.status_list.issuer for a in given} == {plain_badge.issuer}
    assert all(0 <= a.status_index < a.status_list.length for a in given)


def test_validity_period_sets_valid_until(uni, learner):
    badge = make_badge(uni, "expiring", validity_days=365)
    given = award(badge, learner)
    assert (given.valid_until - given.issued_on).days == 365


def test_revoke_records_who_when_and_why(plain_badge, learner, staff):
    given = revoke(award(plain_badge, learner), "Awarded by mistake", by=staff)
    assert given.is_revoked and given.revoked_by == staff
    assert given.revocation_reason == "Awarded by mistake"


def test_revoking_twice_keeps_the_first_revocation(plain_badge, learner, staff):
    first = revoke(award(plain_badge, learner), "First reason", by=staff)
    second = revoke(first, "Second reason", by=staff)
    assert (second.revoked_at, second.revocation_reason) == (first.revoked_at, "First reason")


def test_revoke_needs_a_reason(plain_badge, learner, staff):
    given = award(plain_badge, learner)
    with pytest.raises(AwardError, match="Say why"):
        revoke(given, "  ", by=staff)
    given.refresh_from_db()
    assert not given.is_revoked


def test_revoke_refuses_staff_of_another_issuer(plain_badge, learner, make_user):
    outsider = make_user("staff@company.example", roles.ISSUER_STAFF)
    make_issuer("company").staff.add(outsider)
    with pytest.raises(PermissionError):
        revoke(award(plain_badge, learner), "No", by=outsider)
