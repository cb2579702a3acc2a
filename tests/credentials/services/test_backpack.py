"""The learner's backpack ("My credentials") and the public credential page."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from cms import roles
from credentials import services
from credentials.models import Award
from credentials.services import backpack
from tests.credentials.factories import make_badge, make_issuer

pytestmark = pytest.mark.django_db

BACKPACK = "credentials_manage:backpack"


@pytest.fixture
def uni_of_tests(db):
    return make_issuer("uni", name="Uni of Tests")


@pytest.fixture
def olga(make_user):
    return make_user("other@example.org", roles.LEARNERS, display_name="Olga")


@pytest.fixture
def awards(uni_of_tests, learner, olga):
    now = timezone.now()
    valid = services.award(make_badge(uni_of_tests, "valid-one", name="Valid One"), learner)
    expiring = make_badge(uni_of_tests, "expiring", name="Expiring One", validity_days=30)
    expired = services.award(expiring, learner, issued_on=now - timedelta(days=60))
    revoked = services.award(make_badge(uni_of_tests, "revoked-one", name="Revoked One"), learner)
    services.revoke(revoked, "Issued by mistake.", by=None)
    theirs = services.award(make_badge(uni_of_tests, "theirs", name="Not Lenas"), olga)
    return {"valid": valid, "expired": expired, "revoked": revoked, "theirs": theirs}


def visibility_url(award):
    return reverse("credentials_manage:award_visibility", args=[award.public_id])


def page_url(award):
    return reverse("credentials:award", kwargs={"public_id": award.public_id})


# The backpack


def test_the_backpack_lists_every_award_of_the_learner_with_its_status(client, learner, awards):
    client.force_login(learner)
    response = client.get(reverse(BACKPACK))
    assert response.status_code == 200
    statuses = {item.badge.name: item.status for item in response.context["items"]}
    assert statuses == {"Valid One": "valid", "Expiring One": "expired", "Revoked One": "revoked"}
    assert "Not Lenas" not in response.text
    assert "Issued by mistake." in response.text


def test_the_backpack_links_every_download(client, learner, awards):
    client.force_login(learner)
    text = client.get(reverse(BACKPACK)).text
    for name in ("award_png2", "award_svg2", "award_png3", "award_svg3", "award_ob2",
                 "award_ob3", "award_jwt", "award_pdf"):  # fmt: skip
        assert (
            reverse(f"credentials:{name}", kwargs={"public_id": awards["valid"].public_id}) in text
        )


def test_the_backpack_needs_a_login(client):
    response = client.get(reverse(BACKPACK))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_empty_backpack_says_how_to_earn_one(client, olga):
    client.force_login(olga)
    olga.awards.all().delete()
    assert "No credentials yet" in client.get(reverse(BACKPACK)).text


def test_the_backpack_runs_a_fixed_number_of_queries(
    client, learner, uni_of_tests, django_assert_max_num_queries
):
    client.force_login(learner)
    services.award(make_badge(uni_of_tests, "first"), learner)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse(BACKPACK))
    for i in range(8):
        services.award(make_badge(uni_of_tests, f"more-{i}"), learner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse(BACKPACK))


def test_the_backpack_reverses_each_url_name_once_whatever_the_number_of_awards(
    learner, uni_of_tests, monkeypatch
):
    for i in range(6):
        services.award(make_badge(uni_of_tests, f"many-{i}"), learner)
    calls = []

    def counting(name, *args, **kwargs):
        calls.append(name)
        return reverse(name, *args, **kwargs)

    monkeypatch.setattr(backpack, "reverse", counting)
    items = backpack.backpack(learner)
    assert len(items) == 6
    assert len(calls) == len(set(calls)) == len(backpack.DOWNLOADS) + 3


def test_each_backpack_item_links_its_own_award(learner, awards):
    for item in backpack.backpack(learner):
        award = item.award
        assert item.page_url == page_url(award)
        assert item.visibility_url == visibility_url(award)
        assert item.image_url == reverse(
            "credentials:badge_image", kwargs={"public_id": award.badge_class.public_id}
        )
        assert [d.url for d in item.downloads] == [
            reverse(f"credentials:{name}", kwargs={"public_id": award.public_id})
            for name, _label, _group in backpack.DOWNLOADS
        ]


def test_the_linkedin_link_prefills_the_certification(awards):
    award = awards["expired"]
    parts = urlsplit(backpack.linkedin_add_url(award))
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://www.linkedin.com/profile/add"
    assert query["startTask"] == "CERTIFICATION_NAME"
    assert query["name"] == "Expiring One"
    assert query["organizationName"] == "Uni of Tests"
    assert query["issueYear"] == str(award.issued_on.year)
    assert query["issueMonth"] == str(award.issued_on.month)
    assert query["expirationYear"] == str(award.valid_until.year)
    assert query["certUrl"] == f"http://testserver{page_url(award)}"
    assert query["certId"] == str(award.public_id)


def test_linkedin_and_copy_link_are_offered_for_public_awards(client, learner, awards):
    Award.objects.filter(pk=awards["valid"].pk).update(is_public=True)
    client.force_login(learner)
    text = client.get(reverse(BACKPACK)).text
    assert text.count("https://www.linkedin.com/profile/add?") == 1
    assert f'value="http://testserver{page_url(awards["valid"])}"' in text
    assert "data-copy=" in text


# Public / private


def test_the_owner_makes_an_award_public_and_private_again(client, learner, awards):
    award = awards["valid"]
    client.force_login(learner)
    response = client.post(visibility_url(award), {"visibility": "public"})
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.is_public
    client.post(visibility_url(award), {"visibility": "private"})
    award.refresh_from_db()
    assert not award.is_public


def test_another_learner_cannot_change_visibility(client, olga, awards):
    client.force_login(olga)
    response = client.post(visibility_url(awards["valid"]), {"visibility": "public"})
    assert response.status_code == 404
    awards["valid"].refresh_from_db()
    assert not awards["valid"].is_public


def test_issuer_staff_cannot_change_visibility(client, make_user, uni_of_tests, awards):
    staff = make_user("staff@uni.example", roles.ISSUER_STAFF)
    uni_of_tests.staff.add(staff)
    client.force_login(staff)
    assert client.post(visibility_url(awards["valid"]), {"visibility": "public"}).status_code == 404


def test_visibility_changes_only_by_post(client, learner, awards):
    client.force_login(learner)
    assert client.get(visibility_url(awards["valid"])).status_code == 405


def test_anonymous_visitors_cannot_change_visibility(client, awards):
    response = client.post(visibility_url(awards["valid"]), {"visibility": "public"})
    assert response.status_code == 302
    awards["valid"].refresh_from_db()
    assert not awards["valid"].is_public


def test_the_switch_does_not_redirect_off_site(client, learner, awards):
    client.force_login(learner)
    response = client.post(
        visibility_url(awards["valid"]), {"visibility": "public", "next": "https://evil.example/"}
    )
    assert response["Location"].startswith(reverse(BACKPACK))


def test_set_visibility_refuses_anyone_but_the_owner(awards, olga):
    with pytest.raises(PermissionError):
        backpack.set_visibility(awards["valid"], True, by=olga)


# The public credential page (rendered by the formats view with our template)


def test_a_learner_fetching_anothers_private_award_gets_404(client, olga, awards):
    client.force_login(olga)
    assert client.get(page_url(awards["valid"])).status_code == 404


def test_an_anonymous_visitor_sees_a_public_award_with_open_graph_tags(client, awards):
    award = awards["valid"]
    Award.objects.filter(pk=award.pk).update(is_public=True)
    response = client.get(page_url(award))
    assert response.status_code == 200
    text = response.text
    image = reverse("credentials:badge_image", kwargs={"public_id": award.badge_class.public_id})
    assert '<meta property="og:title" content="Valid One — Uni of Tests">' in text
    assert f'<meta property="og:image" content="http://testserver{image}">' in text
    assert f'<meta property="og:url" content="http://testserver{page_url(award)}">' in text
    assert 'property="og:description"' in text
    assert "Valid credential" in text
    assert "Verify this credential" in text


def test_the_page_links_every_other_format_as_alternate(client, learner, awards):
    client.force_login(learner)
    response = client.get(page_url(awards["valid"]))
    for fmt in response.context["formats"]:
        assert f'<link rel="alternate" type="{fmt["mime"]}" href="{fmt["url"]}"' in response.text


def test_a_revoked_award_page_says_so_with_reason_and_date(client, learner, awards):
    client.force_login(learner)
    text = client.get(page_url(awards["revoked"])).text
    assert "This credential has been revoked" in text
    assert "Issued by mistake." in text
    assert awards["revoked"].badge_class.name in text


def test_an_expired_award_page_says_so(client, learner, awards):
    client.force_login(learner)
    assert "This credential has expired" in client.get(page_url(awards["expired"])).text


def test_the_page_shows_the_eu_elements_competences_and_evidence(client, learner, uni_of_tests):
    from credentials.models import Competency

    badge = make_badge(
        uni_of_tests, "micro", name="Micro", is_micro_credential=True,
        learning_outcomes="Outcome A", workload_hours=25, assessment_type="Oral exam",
        participation_form="online", quality_assurance="External QA", eqf_level=5,
    )  # fmt: skip
    badge.alignments.set(Competency.objects.filter(framework__code="lifecomp", code="S3"))
    award = services.award(badge, learner, [{"name": "Report", "url": "https://x.example/r"}])
    client.force_login(learner)
    text = client.get(page_url(award)).text
    for expected in ("Outcome A", "25 hours", "EQF 5", "Oral exam", "Online", "External QA",
                     "Belgium", "LifeComp S3", "Collaboration", "https://x.example/r"):  # fmt: skip
        assert expected in text


def test_the_owner_downloads_the_baked_png_of_a_private_award(client, learner, awards):
    client.force_login(learner)
    url = reverse("credentials:award_png2", kwargs={"public_id": awards["valid"].public_id})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"openbadges" in response.content
