"""The learner record (CLR 2.0) in the backpack: each learner downloads only their own; the
badge form's "counts toward" offers only the institution's own badges."""

import json

import pytest
from django.urls import reverse

from credentials import services
from credentials.issuing.signing import sign_award
from credentials.models import BadgeClass
from credentials.services import clr
from credentials.web.forms import BadgeClassForm
from tests.credentials.factories import make_badge, make_issuer
from tests.credentials.second_factor_support import login_with_second_factor

pytestmark = pytest.mark.django_db

BADGE_FIELDS = {
    "name": "Programme Module",
    "slug": "",
    "description": "A module of the programme.",
    "achievement_type": "Badge",
    "criteria_narrative": "Pass the module.",
}


@pytest.fixture
def download_alice(make_user):
    return make_user("alice@example.org", display_name="Alice")


@pytest.fixture
def download_bob(make_user):
    return make_user("bob@example.org", display_name="Bob")


@pytest.fixture
def download_institution(db, media_root):
    return make_issuer("download-uni", name="Download University")


@pytest.fixture
def alices_award(download_alice, download_institution):
    return sign_award(services.award(make_badge(download_institution, "kept"), download_alice))


def url(institution, part=None):
    if part is not None:
        return reverse(
            "credentials_manage:clr:download_part",
            kwargs={"institution": institution.public_id, "part": part},
        )
    return reverse("credentials_manage:clr:download", kwargs={"institution": institution.public_id})


def test_alice_downloads_her_signed_record_as_a_file(
    client, download_alice, download_institution, alices_award
):
    client.force_login(download_alice)
    response = client.get(url(download_institution))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+ld+json"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "learner-record-download-university.json" in response["Content-Disposition"]
    record = json.loads(response.content)
    assert record["type"] == ["VerifiableCredential", "ClrCredential"]
    assert record["credentialSubject"]["verifiableCredential"] == [alices_award.ob3_credential]
    assert record["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"


def test_bob_gets_no_record_of_alices_credentials(
    client, download_bob, download_institution, alices_award
):
    client.force_login(download_bob)
    assert client.get(url(download_institution)).status_code == 404


def test_a_visitor_must_sign_in(client, download_institution, alices_award):
    response = client.get(url(download_institution))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_unknown_institution_is_not_found(client, download_alice, alices_award):
    client.force_login(download_alice)
    response = client.get(
        reverse(
            "credentials_manage:clr:download",
            kwargs={"institution": "00000000-0000-4000-8000-000000000000"},
        )
    )
    assert response.status_code == 404


def test_only_get_is_allowed(client, download_alice, download_institution, alices_award):
    client.force_login(download_alice)
    assert client.post(url(download_institution)).status_code == 405


def test_the_backpack_offers_the_record_only_to_a_learner_with_credentials(
    client, download_alice, download_bob, download_institution, alices_award
):
    client.force_login(download_alice)
    page = client.get(reverse("credentials_manage:backpack")).content.decode()
    assert url(download_institution) in page
    client.force_login(download_bob)
    page = client.get(reverse("credentials_manage:backpack")).content.decode()
    assert "/mine/record/" not in page


def test_the_backpack_offers_no_record_where_every_award_is_revoked(
    client, make_user, download_alice, download_institution, alices_award
):
    charlie = make_user("charlie@example.org", display_name="Charlie")
    download_institution.staff.add(charlie)
    services.revoke(alices_award, "Issued by mistake", charlie)
    client.force_login(download_alice)
    page = client.get(reverse("credentials_manage:backpack")).content.decode()
    assert url(download_institution) not in page
    assert client.get(url(download_institution)).status_code == 404


def test_alice_downloads_each_part_of_a_large_record(
    client, monkeypatch, download_alice, download_institution, alices_award
):
    monkeypatch.setattr(clr, "PART_SIZE", 1)
    sign_award(services.award(make_badge(download_institution, "second"), download_alice))
    client.force_login(download_alice)
    first = client.get(url(download_institution))
    second = client.get(url(download_institution, part=2))
    assert first.status_code == second.status_code == 200
    assert "part-2" in second["Content-Disposition"]
    assert json.loads(first.content)["id"] != json.loads(second.content)["id"]
    assert client.get(url(download_institution, part=3)).status_code == 404
    assert client.get(url(download_institution, part=0)).status_code == 404
    page = client.get(reverse("credentials_manage:backpack")).content.decode()
    assert url(download_institution, part=1) in page and url(download_institution, part=2) in page


def test_the_backpack_has_no_record_section_where_every_award_is_revoked(
    client, make_user, download_alice, download_institution, alices_award
):
    charlie = make_user("charlie@example.org", display_name="Charlie")
    download_institution.staff.add(charlie)
    services.revoke(alices_award, "Issued by mistake", charlie)
    client.force_login(download_alice)
    page = client.get(reverse("credentials_manage:backpack")).content.decode()
    assert "cred-record-title" not in page


def test_the_badge_form_offers_only_the_institutions_other_badges(download_institution):
    programme = make_badge(download_institution, "programme")
    other = make_badge(make_issuer("elsewhere"), "their-programme")
    badge = make_badge(download_institution, "module")
    choices = set(
        BadgeClassForm(issuer=download_institution, instance=badge).fields["part_of"].queryset
    )
    assert programme in choices
    assert badge not in choices  # never part of itself
    assert other not in choices


def test_another_institutions_badge_is_refused_as_a_bigger_badge(
    client, staff, uni, download_institution
):
    theirs = make_badge(download_institution, "their-programme")
    ours = make_badge(uni, "our-programme")
    login_with_second_factor(client, staff)
    new = reverse("credentials_manage:badge_new", args=["uni"])
    refused = client.post(new, {**BADGE_FIELDS, "part_of": [theirs.pk]})
    assert refused.status_code == 400  # the form again, with the error
    assert 'name="part_of"' in refused.content.decode()
    assert not BadgeClass.objects.filter(issuer=uni, name="Programme Module").exists()
    accepted = client.post(new, {**BADGE_FIELDS, "part_of": [ours.pk]})
    assert accepted.status_code == 302
    saved = BadgeClass.objects.get(issuer=uni, name="Programme Module")
    assert list(saved.part_of.all()) == [ours]
