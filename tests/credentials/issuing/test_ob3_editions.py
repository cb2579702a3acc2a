"""A credential is signed in its badge's language of issue, with ``inLanguage``, and links the
badge's other language editions as OB 3.0 ``related`` achievements, each served as a document
of its own."""

import json

import pytest
from django.urls import reverse

from credentials.issuing import links, openbadges3
from credentials.issuing.signing import sign_award
from credentials.models import BadgeClass
from credentials.services import editions
from credentials.standards.jsonld import ContextStore, expand
from tests.credentials.formats_support import FRENCH_WORDS
from tests.credentials.issuing.test_ob3_schema import problems

pytestmark = pytest.mark.django_db


def achievement_of(award):
    return award.ob3_credential["credentialSubject"]["achievement"]


def test_a_credential_says_its_language_and_links_every_edition(
    badge, staff, learner, french_edition
):
    editions.save_edition(badge, "de", {**FRENCH_WORDS, "name": "Chancen-Finder"}, staff)
    award = sign_award(editions_award(badge, learner))
    achievement = achievement_of(award)
    assert achievement["inLanguage"] == "en"
    assert achievement["name"] == badge.name  # signed in the language of issue
    # In the order of the site's languages, whatever order they were written in.
    assert achievement["related"] == [
        {"id": links.edition_url(badge, "de"), "type": ["Related"], "inLanguage": "de"},
        {"id": links.edition_url(badge, "fr"), "type": ["Related"], "inLanguage": "fr"},
    ]
    assert problems(award.ob3_credential) == []
    signed = award.ob3_credential
    assert ContextStore().canonicalize(signed) == ContextStore(fast=False).canonicalize(signed)


def editions_award(badge, learner):
    from credentials import services

    return services.award(badge, learner)


def test_a_badge_without_editions_links_none(badge, learner):
    award = sign_award(editions_award(badge, learner))
    assert "related" not in achievement_of(award)


def test_a_badge_issued_in_french_signs_french_words_with_its_language(uni, learner, staff):
    from tests.credentials.factories import make_badge

    french = make_badge(uni, "detecteur", language="fr", **{k: v for k, v in FRENCH_WORDS.items()})
    award = sign_award(editions_award(french, learner))
    achievement = achievement_of(award)
    assert (achievement["inLanguage"], achievement["name"]) == ("fr", FRENCH_WORDS["name"])
    assert problems(award.ob3_credential) == []


def test_the_edition_document_is_the_badge_in_its_words_linked_back_to_the_original(
    client, badge, french_edition
):
    response = client.get(
        reverse(
            "credentials:badge_edition", kwargs={"public_id": badge.public_id, "language": "fr"}
        )
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.content)
    assert document["id"] == links.edition_url(badge, "fr")
    assert document["type"] == ["Achievement"]
    assert (document["inLanguage"], document["name"]) == ("fr", FRENCH_WORDS["name"])
    assert document["learningOutcome"] == FRENCH_WORDS["learning_outcomes"].split("\n")
    assert document["creditsAvailable"] == 2  # numbers are the badge's own
    assert document["related"] == [
        {"id": links.badge_url(badge), "type": ["Related"], "inLanguage": "en"}
    ]
    assert "endorsement" not in document
    assert problems(document, "Achievement") == []  # OB 3.0's Achievement, as 1EdTech shapes it
    # A JSON-LD document whose every term is defined (safe mode refuses a dropped term), read
    # the same by our canonical fast path as by pyld.
    assert expand(document)
    assert ContextStore().canonicalize(document) == ContextStore(fast=False).canonicalize(document)


def test_an_edition_that_does_not_exist_is_not_found(client, badge, french_edition):
    for language in ("de", "en", "xx"):
        response = client.get(
            reverse(
                "credentials:badge_edition",
                kwargs={"public_id": badge.public_id, "language": language},
            )
        )
        assert response.status_code == 404


def test_a_draft_badges_edition_is_not_public(client, badge, french_edition):
    BadgeClass.objects.filter(pk=badge.pk).update(status=BadgeClass.Status.DRAFT)
    response = client.get(
        reverse(
            "credentials:badge_edition", kwargs={"public_id": badge.public_id, "language": "fr"}
        )
    )
    assert response.status_code == 404


def test_the_edition_document_of_a_badge_with_several_links_the_others(
    badge, staff, french_edition
):
    editions.save_edition(badge, "fi", {**FRENCH_WORDS, "name": "Mahdollisuuksien löytäjä"}, staff)
    document = openbadges3.edition_document(badge, "fi")
    assert [r["inLanguage"] for r in document["related"]] == ["en", "fr"]
