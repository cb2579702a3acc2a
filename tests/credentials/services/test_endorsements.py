"""Endorsements: a partner vouches for a university's badge, signed, published and carried."""

import copy
import json

import pytest
from django.urls import reverse

from cms import roles
from credentials import services
from credentials.issuing import endorsements as issued_endorsements
from credentials.issuing import keystore, links, signing
from credentials.models import BadgeClass, Endorsement
from credentials.services import endorsements
from credentials.standards.dataintegrity import verify_eddsa_rdfc_2022
from credentials.standards.keys import public_key_from_multibase
from tests.credentials.factories import make_issuer
from tests.credentials.second_factor_support import login_with_second_factor

pytestmark = pytest.mark.django_db

COMMENT = "Helix hires people who hold this badge."


@pytest.fixture
def endorsement(badge, other_issuer, other_staff):
    return endorsements.endorse(badge, other_issuer, COMMENT, other_staff)


def ed25519_resolver(issuer):
    key = keystore.active_key(issuer, "Ed25519")
    return lambda method: public_key_from_multibase(key.public_key)


# Giving and withdrawing


def test_a_partner_endorses_a_badge_with_a_signed_credential(endorsement, other_issuer):
    document = endorsement.credential
    assert document["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert document["issuer"]["id"] == links.issuer_profile_url(other_issuer)
    assert document["credentialSubject"]["endorsementComment"] == COMMENT
    assert document["credentialSubject"]["type"] == ["EndorsementSubject"]
    ok, _reason = verify_eddsa_rdfc_2022(document, ed25519_resolver(other_issuer))
    assert ok


def test_the_endorsement_credential_carries_a_proof_set(endorsement):
    [proof] = endorsement.credential["proof"]  # an array, as 1EdTech's schema wants
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert all(isinstance(c, str) for c in endorsement.credential["@context"])


def test_an_endorsement_stored_with_a_single_proof_travels_as_a_proof_set(
    client, endorsement, badge, learner, other_issuer
):
    """Endorsements signed before proof sets are not signed again: their one proof object is
    carried (and served) as a set of one, which is the same signed data."""
    stored = {**endorsement.credential, "proof": endorsement.credential["proof"][0]}
    Endorsement.objects.filter(pk=endorsement.pk).update(credential=stored)
    award = signing.sign_award(services.award(badge, learner))
    [carried] = award.ob3_credential["credentialSubject"]["achievement"]["endorsement"]
    assert carried["proof"] == [stored["proof"]]
    assert verify_eddsa_rdfc_2022(carried, ed25519_resolver(other_issuer))[0]
    served = client.get(reverse("credentials:endorsement_ob3", args=[endorsement.public_id]))
    assert served.json()["proof"] == [stored["proof"]]
    assert Endorsement.objects.get(pk=endorsement.pk).credential == stored  # untouched


def test_changing_the_comment_breaks_the_endorsements_proof(endorsement, other_issuer):
    forged = copy.deepcopy(endorsement.credential)
    forged["credentialSubject"]["endorsementComment"] = "Never heard of it."
    ok, _reason = verify_eddsa_rdfc_2022(forged, ed25519_resolver(other_issuer))
    assert not ok


def test_endorsing_again_with_the_same_words_changes_nothing(endorsement, badge, other_staff):
    again = endorsements.endorse(badge, endorsement.endorser, COMMENT, other_staff)
    assert again.pk == endorsement.pk
    assert again.credential == endorsement.credential
    assert Endorsement.objects.count() == 1


def test_new_words_sign_the_endorsement_again(endorsement, badge, other_staff):
    again = endorsements.endorse(badge, endorsement.endorser, "Even better now.", other_staff)
    assert Endorsement.objects.count() == 1
    assert again.credential["credentialSubject"]["endorsementComment"] == "Even better now."
    assert again.credential["proof"] != endorsement.credential["proof"]


def test_a_withdrawn_endorsement_can_be_given_again(endorsement, badge, other_staff):
    endorsements.withdraw(endorsement, other_staff)
    again = endorsements.endorse(badge, endorsement.endorser, COMMENT, other_staff)
    assert again.withdrawn_at is None
    assert issued_endorsements.active(BadgeClass.objects.get(pk=badge.pk)) == [again]


def test_withdrawing_is_idempotent(endorsement, other_staff):
    first = endorsements.withdraw(endorsement, other_staff).withdrawn_at
    assert endorsements.withdraw(endorsement, other_staff).withdrawn_at == first


def test_an_institution_cannot_endorse_its_own_badge(badge, uni, staff):
    with pytest.raises(endorsements.EndorsementError, match="its own badge"):
        endorsements.endorse(badge, uni, COMMENT, staff)
    assert not Endorsement.objects.exists()


def test_someone_who_does_not_act_for_the_endorser_may_not_endorse(badge, other_issuer, learner):
    with pytest.raises(PermissionError):
        endorsements.endorse(badge, other_issuer, COMMENT, learner)
    assert not Endorsement.objects.exists()


def test_someone_of_neither_institution_may_not_withdraw(endorsement, learner):
    with pytest.raises(PermissionError):
        endorsements.withdraw(endorsement, learner)
    endorsement.refresh_from_db()
    assert endorsement.withdrawn_at is None


@pytest.mark.parametrize(
    ("comment", "message"), [("", "why you endorse"), ("x" * 2001, "under 2000")]
)
def test_an_endorsement_needs_a_comment_of_sensible_length(
    badge, other_issuer, other_staff, comment, message
):
    with pytest.raises(endorsements.EndorsementError, match=message):
        endorsements.endorse(badge, other_issuer, comment, other_staff)
    assert not Endorsement.objects.exists()


def test_a_draft_badge_cannot_be_endorsed(badge, other_issuer, other_staff):
    badge.status = BadgeClass.Status.DRAFT
    badge.save()
    with pytest.raises(endorsements.EndorsementError, match="not published"):
        endorsements.endorse(badge, other_issuer, COMMENT, other_staff)


# What the badge's documents say


def test_credentials_awarded_after_it_carry_the_signed_endorsement(endorsement, badge, learner):
    award = signing.sign_award(services.award(badge, learner))
    carried = award.ob3_credential["credentialSubject"]["achievement"]["endorsement"]
    assert carried == [endorsement.credential]
    assert issued_endorsements.carried(award.ob3_credential)[0]["comment"] == COMMENT


def test_a_withdrawn_endorsement_is_left_out_of_new_credentials(endorsement, badge, learner):
    endorsements.withdraw(endorsement, endorsement.endorsed_by)
    award = signing.sign_award(services.award(badge, learner))
    assert "endorsement" not in award.ob3_credential["credentialSubject"]["achievement"]


def test_the_ob2_badge_class_lists_the_hosted_endorsement(client, endorsement, badge):
    document = client.get(reverse("credentials:badge_ob2", args=[badge.public_id])).json()
    assert document["endorsement"] == [
        links.absolute("endorsement_ob2", public_id=endorsement.public_id)
    ]


def test_the_hosted_ob2_endorsement_claims_the_badge(client, endorsement, badge, other_issuer):
    url = reverse("credentials:endorsement_ob2", args=[endorsement.public_id])
    response = client.get(url)
    document = response.json()
    assert response["Access-Control-Allow-Origin"] == "*"
    assert document["type"] == "Endorsement"
    assert document["claim"] == {"id": links.badge_url(badge), "endorsementComment": COMMENT}
    assert document["issuer"] == links.issuer_ob2_url(other_issuer)
    assert document["verification"] == {"type": "hosted"}


def test_the_endorsement_credential_is_served(client, endorsement):
    url = reverse("credentials:endorsement_ob3", args=[endorsement.public_id])
    assert client.get(url).json() == endorsement.credential


@pytest.mark.parametrize("name", ["endorsement_ob2", "endorsement_ob3"])
def test_a_withdrawn_endorsement_answers_410_gone(client, endorsement, name):
    endorsements.withdraw(endorsement, endorsement.endorsed_by)
    response = client.get(reverse(f"credentials:{name}", args=[endorsement.public_id]))
    assert response.status_code == 410
    assert response.json()["revoked"] is True


def test_our_verifier_names_the_endorser_as_verified(client, endorsement, badge, learner):
    award = signing.sign_award(services.award(badge, learner))
    response = client.post(
        "/api/v1/verify", json.dumps({"credential": award.ob3_credential}), "application/json"
    )
    [endorser] = response.json()["credential"]["endorsers"]
    expected = {
        "name": endorsement.endorser.name,
        "id": links.issuer_profile_url(endorsement.endorser),
        "comment": COMMENT,
        "verified": True,
    }
    assert expected.items() <= endorser.items()  # the verifier may say more (who vouches…)


# The pages


def endorse_url(badge):
    return reverse("credentials_manage:endorse", args=[badge.public_id])


def test_partner_staff_endorse_from_the_form(client, badge, other_staff, other_issuer):
    login_with_second_factor(client, other_staff)
    response = client.post(endorse_url(badge), {"endorser": other_issuer.pk, "comment": COMMENT})
    assert response.status_code == 302
    assert Endorsement.objects.get().comment == COMMENT


def test_an_empty_comment_is_refused_on_the_form(client, badge, other_staff, other_issuer):
    login_with_second_factor(client, other_staff)
    response = client.post(endorse_url(badge), {"endorser": other_issuer.pk, "comment": ""})
    assert response.status_code == 400
    assert not Endorsement.objects.exists()


def test_a_partner_cannot_endorse_in_another_institutions_name(
    client, badge, other_staff, make_user
):
    stranger = make_issuer("acme", kind="company", country="FR")
    login_with_second_factor(client, other_staff)
    response = client.post(endorse_url(badge), {"endorser": stranger.pk, "comment": COMMENT})
    assert response.status_code == 400
    assert not Endorsement.objects.exists()


@pytest.mark.parametrize("who", ["staff", "learner"])
def test_the_badges_own_staff_and_learners_may_not_endorse(client, badge, who, request):
    login_with_second_factor(client, request.getfixturevalue(who))
    assert client.get(endorse_url(badge)).status_code == 403


def test_withdrawing_from_the_page(client, endorsement, other_staff):
    login_with_second_factor(client, other_staff)
    url = reverse("credentials_manage:endorsement_withdraw", args=[endorsement.public_id])
    assert client.post(url).status_code == 302
    endorsement.refresh_from_db()
    assert endorsement.withdrawn_at is not None


def test_withdrawing_asks_for_confirmation_first(client, endorsement, other_staff):
    login_with_second_factor(client, other_staff)
    url = reverse("credentials_manage:endorsement_withdraw", args=[endorsement.public_id])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Withdraw the endorsement" in page and f'action="{url}"' in page
    assert COMMENT in page
    endorsement.refresh_from_db()
    assert endorsement.withdrawn_at is None


def test_the_badges_own_staff_confirm_before_taking_an_endorsement_off(client, endorsement, staff):
    login_with_second_factor(client, staff)
    url = reverse("credentials_manage:endorsement_withdraw", args=[endorsement.public_id])
    page = client.get(url).content.decode()
    assert "Remove the endorsement" in page
    endorsement.refresh_from_db()
    assert endorsement.withdrawn_at is None


@pytest.mark.parametrize("who", ["learner", "third_party_staff"])
def test_others_are_not_shown_the_confirmation(client, endorsement, who, request, make_user):
    if who == "third_party_staff":
        user = make_user("staff@acme.example", roles.ISSUER_STAFF)
        make_issuer("acme", kind="company").staff.add(user)
    else:
        user = request.getfixturevalue(who)
    login_with_second_factor(client, user)
    url = reverse("credentials_manage:endorsement_withdraw", args=[endorsement.public_id])
    assert client.get(url).status_code == 403


def test_the_endorsement_links_lead_to_the_confirmation(client, endorsement, other_staff, uni):
    login_with_second_factor(client, other_staff)
    page = client.get(reverse("credentials:issuer", args=[uni.slug])).content.decode()
    url = reverse("credentials_manage:endorsement_withdraw", args=[endorsement.public_id])
    assert f'<a href="{url}">' in page
    assert f'action="{url}"' not in page  # no one-click withdraw


def test_others_may_not_withdraw_from_the_page(client, endorsement, learner):
    client.force_login(learner)
    url = reverse("credentials_manage:endorsement_withdraw", args=[endorsement.public_id])
    assert client.post(url).status_code == 403
    endorsement.refresh_from_db()
    assert endorsement.withdrawn_at is None


def test_the_institution_page_lists_badges_with_their_endorsements(client, endorsement, uni):
    page = client.get(reverse("credentials:issuer", args=[uni.slug])).content.decode()
    assert endorsement.badge_class.name in page
    assert COMMENT in page
    assert "Endorse this badge" not in page  # anonymous visitors are not offered it


def test_the_institution_page_offers_partner_staff_to_endorse(client, badge, other_staff, uni):
    login_with_second_factor(client, other_staff)
    page = client.get(reverse("credentials:issuer", args=[uni.slug])).content.decode()
    assert "Endorse this badge" in page


def test_the_credential_page_shows_the_endorsements_it_carries(client, endorsement, badge, learner):
    award = signing.sign_award(services.award(badge, learner))
    type(award).objects.filter(pk=award.pk).update(is_public=True)
    page = client.get(reverse("credentials:award", args=[award.public_id])).content.decode()
    assert "Endorsed by" in page and COMMENT in page


def test_the_institution_page_asks_a_fixed_number_of_queries(
    client, uni, other_issuer, other_staff, django_assert_max_num_queries
):
    from tests.credentials.factories import make_badge

    for n in range(12):
        badge = make_badge(uni, f"badge-{n}")
        endorsements.endorse(badge, other_issuer, f"Comment {n}", other_staff)
    login_with_second_factor(client, other_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("credentials:issuer", args=[uni.slug]))
    assert response.content.decode().count("Edit your endorsement") == 12


# Telling the endorsed institution


def test_the_badges_institution_hears_of_a_new_endorsement(
    badge, other_issuer, other_staff, staff, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        endorsements.endorse(badge, other_issuer, COMMENT, other_staff)
    [message] = mail.outbox
    assert message.subject == f"{other_issuer.name} endorses “{badge.name}”"
    assert message.to == [badge.issuer.email]
    assert message.bcc == [staff.email]
    assert COMMENT in message.body
    assert COMMENT in message.alternatives[0][0]


def test_the_same_words_again_send_no_second_e_mail(
    endorsement, badge, other_staff, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        endorsements.endorse(badge, endorsement.endorser, COMMENT, other_staff)
    assert mail.outbox == []


def test_the_badges_institution_hears_of_a_withdrawal_once(
    endorsement, other_staff, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        endorsements.withdraw(endorsement, other_staff)
        endorsements.withdraw(endorsement, other_staff)
    [message] = mail.outbox
    assert message.subject.endswith(f"no longer endorses “{endorsement.badge_class.name}”")


# After review


def test_the_badges_own_institution_may_take_an_endorsement_off(client, endorsement, staff):
    login_with_second_factor(client, staff)
    url = reverse("credentials_manage:endorsement_withdraw", args=[endorsement.public_id])
    response = client.post(url)
    assert response.status_code == 302
    assert "/credentials/manage/" in response["Location"]
    endorsement.refresh_from_db()
    assert endorsement.withdrawn_at is not None


def test_a_superuser_is_not_offered_to_endorse_in_every_institutions_name(badge, superuser):
    assert not endorsements.endorsers_for(superuser, badge).exists()


def test_our_verifier_does_not_vouch_for_an_endorsement_of_another_badge(
    client, endorsement, badge, learner, uni
):
    from tests.credentials.factories import make_badge

    other = make_badge(uni, "another-badge")
    award = signing.sign_award(services.award(other, learner))
    forged = copy.deepcopy(award.ob3_credential)
    forged.pop("proof")
    forged["credentialSubject"]["achievement"]["endorsement"] = [endorsement.credential]
    signed = signing.openbadges3.sign_credential(forged, uni)
    response = client.post("/api/v1/verify", json.dumps({"credential": signed}), "application/json")
    assert response.json()["credential"]["endorsers"][0]["verified"] is False


def test_a_long_endorsement_still_fits_the_pdf_certificate(
    badge, learner, other_issuer, other_staff
):
    from credentials.issuing import pdf

    endorsements.endorse(badge, other_issuer, "word " * 399, other_staff)
    award = signing.sign_award(services.award(badge, learner))
    assert pdf.certificate(award).startswith(b"%PDF")


def test_the_endorsement_subject_line_is_not_html_escaped(
    badge, other_issuer, other_staff, django_capture_on_commit_callbacks
):
    from django.core import mail

    other_issuer.name = "Smith & Sons"
    other_issuer.save()
    with django_capture_on_commit_callbacks(execute=True):
        endorsements.endorse(badge, other_issuer, COMMENT, other_staff)
    assert mail.outbox[0].subject.startswith("Smith & Sons endorses")
    assert mail.outbox[0].to == [badge.issuer.email]
