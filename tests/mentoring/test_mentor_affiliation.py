"""A mentor's profile names an institution only once that institution's staff approve.

Personas: ``affiliation_staff`` (staff of the institution: the member), ``affiliation_colleague``
(staff of another institution), ``mentee`` (an outsider)."""

import pytest
from django.urls import reverse

from cms import roles
from credentials.models import ApprovalRequest
from credentials.services import approvals
from mentoring import mentor_profiles
from mentoring.forms import MentorProfileForm
from mentoring.models import MentorProfile
from tests.credentials.factories import make_issuer

pytestmark = pytest.mark.django_db
State = ApprovalRequest.State


@pytest.fixture
def affiliation_issuer(db):
    return make_issuer("northbridge-aff", name="Northbridge Aff")


@pytest.fixture
def affiliation_staff(make_user, affiliation_issuer):
    user = make_user("staff@northbridge-aff.example", roles.ISSUER_STAFF)
    affiliation_issuer.staff.add(user)
    return user


@pytest.fixture
def affiliation_colleague(make_user):
    user = make_user("staff@elsewhere-aff.example", roles.ISSUER_STAFF)
    make_issuer("elsewhere-aff").staff.add(user)
    return user


@pytest.fixture
def affiliated(mentor, affiliation_issuer, affiliation_staff):
    """The mentor names Northbridge on their profile; Northbridge has not answered yet."""
    mentor_profiles.update_profile(mentor, {"institution": affiliation_issuer}, by=mentor.user)
    return MentorProfile.objects.get(pk=mentor.pk)


def _request(profile):
    return ApprovalRequest.objects.get(kind="mentor", subject_id=profile.pk)


def test_naming_an_institution_asks_its_staff(affiliated, affiliation_issuer):
    request = _request(affiliated)
    assert request.state == State.PENDING and request.issuer == affiliation_issuer
    assert request.requested_by == affiliated.user


def test_a_pending_affiliation_is_not_shown(client, affiliated, mentee, affiliation_issuer):
    assert affiliated.shown_institution is None
    client.force_login(mentee)
    html = client.get(reverse("mentoring:mentor", kwargs={"pk": affiliated.pk})).content.decode()
    assert affiliation_issuer.get_absolute_url() not in html


def test_the_mentor_sees_that_it_waits(affiliated):
    help_text = MentorProfileForm(instance=affiliated).fields["institution"].help_text
    assert "Waiting for Northbridge Aff's staff to approve" in help_text


def test_approved_by_its_staff_the_affiliation_shows(
    client, affiliated, mentee, affiliation_staff, affiliation_issuer
):
    approvals.approve(_request(affiliated), by=affiliation_staff)
    profile = MentorProfile.objects.get(pk=affiliated.pk)
    assert profile.shown_institution == affiliation_issuer
    client.force_login(mentee)
    html = client.get(reverse("mentoring:mentor", kwargs={"pk": profile.pk})).content.decode()
    assert affiliation_issuer.get_absolute_url() in html


@pytest.mark.parametrize("who", ["affiliation_colleague", "mentee"])
def test_nobody_else_may_approve_it(request, who, affiliated):
    with pytest.raises(PermissionError):
        approvals.approve(_request(affiliated), by=request.getfixturevalue(who))
    with pytest.raises(PermissionError):
        approvals.approve(_request(affiliated), by=affiliated.user)  # nor the mentor
    assert MentorProfile.objects.get(pk=affiliated.pk).shown_institution is None


def test_changing_institution_withdraws_the_waiting_request(affiliated):
    other = make_issuer("another-aff")
    mentor_profiles.update_profile(affiliated, {"institution": other}, by=affiliated.user)
    states = dict(
        ApprovalRequest.objects.filter(subject_id=affiliated.pk).values_list(
            "issuer__slug", "state"
        )
    )
    assert states == {"northbridge-aff": State.WITHDRAWN, "another-aff": State.PENDING}


def test_saving_the_profile_again_asks_once(affiliated, affiliation_issuer):
    mentor_profiles.update_profile(
        affiliated, {"institution": affiliation_issuer, "headline": "Again"}, by=affiliated.user
    )
    assert ApprovalRequest.objects.filter(subject_id=affiliated.pk).count() == 1


def test_a_staff_member_who_mentors_is_affiliated_at_once(affiliation_staff, affiliation_issuer):
    roles.grant(affiliation_staff, roles.MENTORS)
    profile = mentor_profiles.ensure_profile(affiliation_staff)
    assert profile.shown_institution == affiliation_issuer
