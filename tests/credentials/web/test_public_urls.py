import json
import uuid

import pytest
from django.urls import reverse

from credentials import services
from credentials.standards import bakery
from tests.credentials.second_factor_support import login_with_second_factor

pytestmark = pytest.mark.django_db
LD = "application/ld+json"


def url(name, **kwargs):
    return reverse(f"credentials:{name}", kwargs=kwargs)


def public(award):
    """Made public by its learner (a private one's documents are withheld: test_privacy.py)."""
    services.backpack.set_visibility(award, True, by=award.recipient)
    return award


@pytest.fixture
def template(settings, tmp_path):
    """A stand-in for the UI engineer's award page template, when it is not there yet."""
    from django.template.loader import TemplateDoesNotExist, get_template

    try:
        get_template("credentials/award_detail.html")
    except TemplateDoesNotExist:
        folder = tmp_path / "templates" / "credentials"
        folder.mkdir(parents=True)
        (folder / "award_detail.html").write_text(
            "{{ badge.name }} {{ status }}"
            "{% for f in formats %}<link rel='{{ f.rel }}' type='{{ f.mime }}' "
            "href='{{ f.url }}'>{% endfor %}"
        )
        settings.TEMPLATES[0]["DIRS"] = [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]


def test_the_award_url_gives_json_ld_clients_the_ob2_assertion(client, given):
    public(given)
    response = client.get(url("award", public_id=given.public_id), HTTP_ACCEPT=LD)
    assert response.status_code == 200
    assert response["Content-Type"] == LD
    assert response.json()["id"] == f"http://testserver/credentials/{given.public_id}/"
    assert "Accept" in response["Vary"]


def test_plain_json_clients_get_the_assertion_too(client, given):
    public(given)
    response = client.get(url("award", public_id=given.public_id), HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    assert response.json()["type"] == "Assertion"


def test_a_private_award_page_is_404_for_anonymous_other_learners_and_other_staff(
    client, given, other_learner, other_staff, template
):
    page = url("award", public_id=given.public_id)
    assert client.get(page, HTTP_ACCEPT="text/html").status_code == 404
    for person in (other_learner, other_staff):
        client.force_login(person)
        assert client.get(page, HTTP_ACCEPT="text/html").status_code == 404


def test_the_owner_issuer_staff_and_superuser_see_the_private_page(
    client, given, learner, staff, superuser, template
):
    page = url("award", public_id=given.public_id)
    expected = {learner: (True, False), staff: (False, True), superuser: (False, True)}
    for person, (is_owner, can_manage) in expected.items():
        login_with_second_factor(client, person)  # staff see private pages after their 2FA
        response = client.get(page, HTTP_ACCEPT="text/html,application/xhtml+xml")
        assert response.status_code == 200
        assert response.context["is_owner"] is is_owner
        assert response.context["can_manage"] is can_manage
        assert response.context["status"] == "valid"


def test_a_public_award_page_is_open_to_everyone_and_links_every_format(client, given, template):
    given.is_public = True
    given.save()
    response = client.get(url("award", public_id=given.public_id), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    mimes = {f["mime"] for f in response.context["formats"]}
    assert {
        "application/vc+ld+json",
        "application/vc+jwt",
        "image/png",
        "image/svg+xml",
        "application/pdf",
    } <= mimes
    assert all(
        f["url"].startswith("http://testserver/credentials/") for f in response.context["formats"]
    )
    html = response.content.decode()
    assert html.count('rel="alternate"') + html.count("rel='alternate'") >= 9


def test_the_page_says_revoked_after_revocation(client, given, staff, template):
    services.revoke(given, "Mistake", staff)
    login_with_second_factor(client, staff)
    response = client.get(url("award", public_id=given.public_id), HTTP_ACCEPT="text/html")
    assert response.context["status"] == "revoked"


def test_a_revoked_hosted_assertion_answers_410_gone_with_revoked_true(client, given, staff):
    services.revoke(given, "Plagiarism", staff)
    for name in ("award", "award_ob2"):
        response = client.get(url(name, public_id=given.public_id), HTTP_ACCEPT=LD)
        assert response.status_code == 410
        body = response.json()
        assert body["revoked"] is True and body["revocationReason"] == "Plagiarism"
        assert body["id"] == f"http://testserver/credentials/{given.public_id}/"


@pytest.mark.parametrize(
    ("name", "mime"),
    [
        ("award_ob2", LD),
        ("award_ob2_signed", "application/jose"),
        ("award_ob3", "application/vc+ld+json"),
        ("award_jwt", "application/vc+jwt"),
    ],
)
def test_machine_readable_documents_are_public_by_uuid_with_cors_and_etag(
    client, given, name, mime
):
    public(given)
    response = client.get(url(name, public_id=given.public_id))
    assert response.status_code == 200
    assert response["Content-Type"] == mime
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"]
    again = client.get(url(name, public_id=given.public_id), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_issuer_badge_key_and_list_documents_are_served(client, given):
    issuer, badge = given.badge_class.issuer, given.badge_class
    checks = {
        url("issuer_ob2", public_id=issuer.public_id): "Issuer",
        url("issuer_profile", public_id=issuer.public_id): ["Profile"],
        url("badge_ob2", public_id=badge.public_id): "BadgeClass",
        url("revocation_list", public_id=issuer.public_id): "RevocationList",
        url("issuer_key", public_id=issuer.public_id, key_id="rsa-1"): "CryptographicKey",
        url("issuer_key", public_id=issuer.public_id, key_id="ed25519-1"): "Multikey",
        url("issuer_status_list", public_id=issuer.public_id, purpose="revocation"): [
            "VerifiableCredential",
            "BitstringStatusListCredential",
        ],
        url("json_ld_context", context="eu-microcredential", version="v1"): None,
    }
    for path, kind in checks.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Access-Control-Allow-Origin"] == "*"
        if kind is None:  # a JSON-LD context
            assert "@context" in response.json()
            continue
        assert response.json()["type"] == kind, path
        assert response.json()["id"] == "http://testserver" + path, path


def test_a_badges_own_status_list_is_served_only_for_awards_made_before_issuer_lists(client, given):
    from tests.credentials.legacy_ob3 import legacy_award

    path = url("status_list", public_id=given.badge_class.public_id)
    assert client.get(path).status_code == 404  # its awards are in the issuer's list
    legacy_award(given.badge_class, "earlier@example.org")
    response = client.get(path)
    assert response.status_code == 200
    assert response.json()["id"] == "http://testserver" + path


def test_the_jwk_of_a_key_has_no_private_members(client, given):
    issuer = given.badge_class.issuer
    response = client.get(url("issuer_key_jwk", public_id=issuer.public_id, key_id="rsa-1"))
    assert response["Content-Type"] == "application/jwk+json"
    assert set(response.json()) == {"kty", "n", "e", "kid"}


def test_no_document_ever_contains_a_private_key(client, given):
    issuer = given.badge_class.issuer
    bodies = [
        client.get(url("issuer_profile", public_id=issuer.public_id)).content,
        client.get(url("issuer_ob2", public_id=issuer.public_id)).content,
    ]
    for key in issuer.keys.all():
        bodies.append(
            client.get(url("issuer_key", public_id=issuer.public_id, key_id=key.key_id)).content
        )
        assert all(key.private_key_encrypted.encode()[:40] not in body for body in bodies)
    assert all(b"PRIVATE" not in body for body in bodies)


@pytest.mark.parametrize(
    ("name", "version"),
    [("award_png2", "2.0"), ("award_svg2", "2.0"), ("award_png3", "3.0"), ("award_svg3", "3.0")],
)
def test_the_owner_downloads_baked_images_as_attachments(client, given, learner, name, version):
    client.force_login(learner)
    response = client.get(url(name, public_id=given.public_id))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    baked = bakery.extract(response.content, version=version)
    assert baked.json()["id"] == f"http://testserver/credentials/{given.public_id}/"


@pytest.mark.parametrize("name", ["award_png2", "award_svg3", "award_pdf"])
def test_private_downloads_are_404_for_others_and_open_when_public(
    client, given, other_learner, other_staff, name
):
    path = url(name, public_id=given.public_id)
    assert client.get(path).status_code == 404
    for person in (other_learner, other_staff):
        client.force_login(person)
        assert client.get(path).status_code == 404
    client.logout()
    given.is_public = True
    given.save()
    assert client.get(path).status_code == 200


def test_issuer_staff_download_the_pdf(client, given, staff):
    login_with_second_factor(client, staff)
    response = client.get(url("award_pdf", public_id=given.public_id))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_unknown_uuids_are_404(client, db):
    for name in ("award", "award_ob3", "award_jwt", "award_png2"):
        assert client.get(url(name, public_id=uuid.uuid4()), HTTP_ACCEPT=LD).status_code == 404
    assert client.get(url("issuer_profile", public_id=uuid.uuid4())).status_code == 404
    assert client.get(url("status_list", public_id=uuid.uuid4())).status_code == 404
    status = url("issuer_status_list", public_id=uuid.uuid4(), purpose="revocation")
    assert client.get(status).status_code == 404


def test_writes_are_refused(client, given):
    assert client.post(url("award_ob3", public_id=given.public_id)).status_code == 405


def test_the_badge_image_is_served_even_without_an_upload(client, badge):
    response = client.get(url("badge_image", public_id=badge.public_id))
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def test_the_legacy_eu_vocabulary_context_is_still_served(client, db):
    """Credentials signed before the versioned context define their EU terms at this URL."""
    response = client.get(url("vocabulary"))
    context = json.loads(response.content)["@context"]
    assert context["workloadHours"] == "http://testserver/credentials/vocab#workloadHours"


def test_legacy_institution_urls_still_resolve():
    assert url("issuers") == "/institutions/"
    assert url("issuer", slug="x") == "/institutions/x/"
    assert url("issuer_edit", slug="x") == "/institutions/x/edit/"
