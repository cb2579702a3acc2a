"""A badge's language editions on the pages: staff write them, readers see them in their
language (credential page, PDF, e-mail, backpack, verifier) with the signed words in reach."""

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from credentials import services
from credentials.issuing.signing import sign_award
from credentials.models import BadgeEdition
from credentials.services import editions
from credentials.services.emails import build_award_email
from tests.credentials.formats_support import FRENCH_WORDS
from tests.credentials.second_factor_support import login_with_second_factor
from tests.credentials.web.test_issuer_pages import badge_data

pytestmark = pytest.mark.django_db


def manage(name, badge, *args):
    return reverse(f"credentials_manage:{name}", args=[badge.issuer.slug, badge.slug, *args])


def in_french(path: str) -> str:
    return "/fr" + path


@pytest.fixture
def edition_award(badge, learner, french_edition):
    """A signed, public award of ``badge``, which has a French edition."""
    award = sign_award(services.award(badge, learner))
    return services.backpack.set_visibility(award, True, by=learner)


# --- writing editions -----------------------------------------------------------------------


def test_staff_see_every_language_but_the_language_of_issue(client, badge, staff, french_edition):
    login_with_second_factor(client, staff)
    html = client.get(manage("badge_editions", badge)).content.decode().replace("&#x27;", "'")
    for code in ("de", "es", "fr", "it", "nl", "pl", "pt", "fi"):
        assert manage("badge_edition_edit", badge, code) in html
    assert manage("badge_edition_edit", badge, "en") not in html
    assert FRENCH_WORDS["name"] in html
    assert "1 edition written of 8." in html


def test_staff_write_an_edition_beside_the_original(client, badge, staff):
    login_with_second_factor(client, staff)
    page = client.get(manage("badge_edition_edit", badge, "fr"))
    html = page.content.decode()
    assert page.status_code == 200
    assert badge.description in html  # the original, to translate from
    assert 'lang="fr"' in html and 'lang="en"' in html
    response = client.post(manage("badge_edition_edit", badge, "fr"), FRENCH_WORDS)
    assert response.status_code == 302
    assert response["Location"] == manage("badge_editions", badge)
    assert BadgeEdition.objects.get(badge_class=badge, language="fr").name == FRENCH_WORDS["name"]
    # A second click of the same form changes nothing.
    client.post(manage("badge_edition_edit", badge, "fr"), FRENCH_WORDS)
    assert BadgeEdition.objects.filter(badge_class=badge).count() == 1


def test_an_incomplete_edition_says_what_is_missing_and_saves_nothing(client, badge, staff):
    login_with_second_factor(client, staff)
    words = {**FRENCH_WORDS, "learning_outcomes": ""}
    response = client.post(manage("badge_edition_edit", badge, "fr"), words)
    assert response.status_code == 400
    assert "nothing was saved" in response.content.decode()
    assert "learning_outcomes" in response.context["form"].errors
    assert not BadgeEdition.objects.exists()


def test_the_language_of_issue_leads_to_the_badges_own_form(client, badge, staff):
    login_with_second_factor(client, staff)
    response = client.get(manage("badge_edition_edit", badge, "en"))
    assert response["Location"] == manage("badge_edit", badge)
    assert client.get(manage("badge_edition_edit", badge, "xx")).status_code == 404


def test_outsiders_may_not_write_or_remove_editions(
    client, badge, other_staff, learner, french_edition
):
    for person in (other_staff, learner):
        login_with_second_factor(client, person)
        for page in ("badge_editions", "badge_edition_edit"):
            args = () if page == "badge_editions" else ("fr",)
            assert client.get(manage(page, badge, *args)).status_code == 403
        response = client.post(manage("badge_edition_edit", badge, "fr"), FRENCH_WORDS)
        assert response.status_code == 403
        assert client.post(manage("badge_edition_delete", badge, "fr")).status_code == 403
    client.logout()
    response = client.get(manage("badge_editions", badge))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert BadgeEdition.objects.get(pk=french_edition.pk).name == FRENCH_WORDS["name"]


def test_staff_remove_an_edition_and_a_second_click_is_harmless(
    client, badge, staff, french_edition
):
    login_with_second_factor(client, staff)
    for _click in range(2):
        response = client.post(manage("badge_edition_delete", badge, "fr"))
        assert response.status_code == 302
    assert not BadgeEdition.objects.exists()
    assert client.get(manage("badge_edition_delete", badge, "fr")).status_code == 405


def test_the_badge_page_counts_editions_and_flags_one_the_original_outgrew(
    client, badge, staff, french_edition
):
    login_with_second_factor(client, staff)
    html = client.get(manage("badge", badge)).content.decode()
    assert manage("badge_editions", badge) in html
    assert "needs a look" not in html
    badge.criteria_narrative = "Complete the course, pass its quiz and pitch."
    badge.save()
    assert "needs a look" in client.get(manage("badge", badge)).content.decode()


def test_the_language_of_issue_cannot_become_one_with_an_edition(
    client, badge, staff, french_edition
):
    login_with_second_factor(client, staff)
    data = badge_data(name=badge.name, slug=badge.slug, language="fr")
    response = client.post(manage("badge_edit", badge), data)
    assert response.status_code == 400
    assert "language" in response.context["form"].errors
    badge.refresh_from_db()
    assert badge.language == "en"


# --- reading them ---------------------------------------------------------------------------


def test_the_credential_page_shows_the_readers_edition_and_links_the_signed_words(
    client, edition_award, badge
):
    page = reverse("credentials:award", kwargs={"public_id": edition_award.public_id})
    french = client.get(in_french(page), HTTP_ACCEPT="text/html").content.decode()
    assert f'<h1 lang="fr">{FRENCH_WORDS["name"]}' in french.replace("&#x27;", "'")
    assert "Repérer une occasion de valorisation" in french  # an EU element, translated
    assert f'href="{page}" lang="en"' in french  # the words as signed, one click away
    english = client.get(page, HTTP_ACCEPT="text/html").content.decode()
    assert f'<h1 lang="en">{badge.name}</h1>' in english
    assert "Repérer" not in english
    german = client.get("/de" + page, HTTP_ACCEPT="text/html").content.decode()
    assert f'<h1 lang="en">{badge.name}</h1>' in german  # no German edition: the original


def test_a_cached_credential_page_shows_an_edition_written_after_it(client, badge, learner, staff):
    award = sign_award(services.award(badge, learner))
    services.backpack.set_visibility(award, True, by=learner)
    page = in_french(reverse("credentials:award", kwargs={"public_id": award.public_id}))
    assert FRENCH_WORDS["description"] not in client.get(page).content.decode()
    editions.save_edition(badge, "fr", FRENCH_WORDS, staff)
    assert FRENCH_WORDS["description"] in client.get(page).content.decode().replace("&#x27;", "'")


def test_the_certificate_is_in_the_readers_edition_and_names_the_signed_title(
    client, edition_award, badge
):
    path = reverse("credentials:award_pdf", kwargs={"public_id": edition_award.public_id})
    client.force_login(edition_award.recipient)

    def text(address):
        data = client.get(address).content
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)

    french = " ".join(text(in_french(path)).split())
    assert "Repère des occasions" in french
    assert badge.name in french  # "signed in English, as “Opportunity Spotter”"
    english = " ".join(text(path).split())
    assert "Repère" not in english


def test_the_award_e_mail_uses_the_edition_of_the_recipients_language(
    edition_award, learner, badge
):
    learner.language = "fr"
    learner.save()
    edition_award.refresh_from_db()
    message = build_award_email(edition_award)
    assert FRENCH_WORDS["name"] in message.subject
    learner.language = "de"
    learner.save()
    edition_award.refresh_from_db()
    assert badge.name in build_award_email(edition_award).subject


def test_the_backpack_lists_badges_in_the_readers_language(client, edition_award, learner):
    client.force_login(learner)
    page = reverse("credentials_manage:backpack")
    html = client.get(in_french(page)).content.decode().replace("&#x27;", "'")
    assert f'<h2 lang="fr"><a href="/fr/credentials/{edition_award.public_id}/">' in html
    assert FRENCH_WORDS["name"] in html


# --- the verifier ---------------------------------------------------------------------------


@pytest.fixture
def verifier_ready(settings, tmp_path):
    settings.VERIFY_RATE_LIMIT = (1000, 60)
    cache.clear()
    yield
    cache.clear()


def verify_in(client, language, **data):
    path = "/verify/" if language == "en" else f"/{language}/verify/"
    if "id" in data:
        return client.get(path, data).content.decode().replace("&#x27;", "'")
    return client.post(path, data).content.decode().replace("&#x27;", "'")


def test_the_verifier_shows_our_credential_in_the_readers_edition_with_its_signed_title(
    client, edition_award, badge, verifier_ready
):
    address = services.backpack.public_url(edition_award)
    french = verify_in(client, "fr", id=address)
    assert 'data-verdict="valid"' in french
    assert FRENCH_WORDS["name"] in french
    assert f'<span lang="en">“{badge.name}”</span>' in french
    english = verify_in(client, "en", id=address)
    assert FRENCH_WORDS["name"] not in english
    assert badge.name in english


def test_the_verifier_never_translates_a_tampered_credential(
    client, edition_award, badge, verifier_ready
):
    import json

    forged = json.loads(json.dumps(edition_award.ob3_credential))
    forged["credentialSubject"]["achievement"]["name"] = "Chief Executive Officer"
    html = verify_in(client, "fr", text=json.dumps(forged))
    assert 'data-verdict="tampered"' in html
    assert "Chief Executive Officer" in html  # what it says, as it says it
    assert FRENCH_WORDS["name"] not in html
    assert "/editions/fr" not in html  # a forgery lends no credibility from our editions


def test_the_verifier_lists_anothers_editions_but_links_only_web_addresses(client, verifier_ready):
    from credentials.verify.summary import summary_ob3

    credential = {
        "credentialSubject": {
            "achievement": {
                "name": "Stranger badge",
                "inLanguage": "nl",
                "related": [
                    {"id": "https://other.example/a/fr", "type": ["Related"], "inLanguage": "fr"},
                    {"id": "javascript:alert(1)", "type": ["Related"], "inLanguage": "de"},
                    {"id": "https://other.example/v1", "type": ["Related"]},  # a version
                    {"id": "https://other.example/a/it", "type": ["Thing"], "inLanguage": "it"},
                ],
            }
        }
    }
    summary = summary_ob3(credential)
    assert summary.language == "nl"
    assert summary.editions == [{"language": "fr", "url": "https://other.example/a/fr"}]


def test_a_reader_of_the_language_of_issue_is_shown_the_signed_words(edition_award, badge):
    from credentials.verify.site import verify
    from credentials.web.verify_language import in_reader_language

    result = verify(services.backpack.public_url(edition_award))
    assert result.verdict == "valid"
    assert in_reader_language(result, "en") is None
    assert in_reader_language(result, "de") is None  # no German edition
    with translation.override("fr"):
        shown = in_reader_language(result, "fr")
    assert shown["summary"].badge["name"] == FRENCH_WORDS["name"]
    assert shown["signed_name"] == badge.name


def test_the_verify_api_says_the_language_and_lists_the_editions(
    client, edition_award, badge, verifier_ready
):
    from credentials.issuing import links

    response = client.post(
        "/api/v1/verify",
        {"id": links.absolute("award_ob3", public_id=edition_award.public_id)},
        content_type="application/json",
    )
    credential = response.json()["credential"]
    assert credential["language"] == "en"
    assert credential["editions"] == [{"language": "fr", "url": links.edition_url(badge, "fr")}]


def test_the_institution_page_lists_its_badges_in_the_readers_language(
    client, badge, french_edition
):
    page = badge.issuer.get_absolute_url()
    french = client.get(in_french(page)).content.decode().replace("&#x27;", "'")
    assert f'<h3 lang="fr">{FRENCH_WORDS["name"]}</h3>' in french
    english = client.get(page).content.decode()
    assert f'<h3 lang="en">{badge.name}</h3>' in english


# --- what was signed stays what was signed (review findings) ------------------------------------


def verified_in_french(client, award) -> str:
    from credentials.issuing import links

    address = links.absolute("award_ob3", public_id=award.public_id)
    return verify_in(client, "fr", id=address)


def test_the_verifier_never_shows_a_number_the_credential_did_not_sign(
    client, edition_award, badge, verifier_ready
):
    badge.ects_credits = 42  # not a word: the French edition still translates every word
    badge.save()
    html = verified_in_french(client, edition_award)
    assert 'data-verdict="valid"' in html
    assert FRENCH_WORDS["name"] in html
    facts = html.split("EU", 1)[-1]
    assert ">42<" not in facts and ">2<" in facts


def test_the_verifier_shows_the_signed_words_once_the_badge_words_changed(
    client, edition_award, badge, staff, verifier_ready
):
    badge.name = "Opportunity Hunter"
    badge.save()
    editions.save_edition(badge, "fr", {**FRENCH_WORDS, "name": "Chasseur"}, staff)
    html = verified_in_french(client, edition_award)
    assert 'data-verdict="valid"' in html
    assert "Chasseur" not in html and "Opportunity Hunter" not in html
    assert "Opportunity Spotter" in html  # what it was signed with


def test_the_page_and_certificate_name_the_title_it_was_signed_with(client, edition_award, badge):
    badge.name = "Opportunity Hunter"
    badge.language = "de"  # and its language of issue changed since
    badge.save()
    page = reverse("credentials:award", kwargs={"public_id": edition_award.public_id})
    html = client.get(in_french(page)).content.decode()
    assert f'href="{page}" lang="en" hreflang="en">“Opportunity Spotter”' in html
    client.force_login(edition_award.recipient)
    pdf = client.get(in_french(page) + "certificate.pdf").content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Opportunity Spotter" in text and "Opportunity Hunter" not in text


def test_an_edition_is_refused_once_its_language_became_the_language_of_issue(badge, staff):
    stale = type(badge).objects.get(pk=badge.pk)
    type(badge).objects.filter(pk=badge.pk).update(language="fr")
    with pytest.raises(editions.EditionError):
        editions.save_edition(stale, "fr", FRENCH_WORDS, staff)
    assert not BadgeEdition.objects.exists()


def test_a_credential_is_never_made_from_a_badge_shown_in_another_language(edition_award, badge):
    from credentials.issuing import openbadges3

    edition_award.badge_class = editions.in_language(badge, "fr")
    with pytest.raises(TypeError):
        openbadges3.credential(edition_award)


def test_an_edition_never_adds_a_criteria_page_the_original_lacks(badge, staff):
    assert not badge.criteria_url
    words = {**FRENCH_WORDS, "criteria_url": "https://elsewhere.example/criteres"}
    edition = editions.save_edition(badge, "fr", words, staff)
    assert edition.criteria_url == ""
