"""Demo credentials signed under one port are signed again when the site serves on another.

`make run` on port 8000, then `PORT=8101 make run` on the same database: every demo credential
(except a revoked one), endorsement and baked image downloaded from then on must name 8101,
and the verifier must call the credential valid. Nothing else is ever signed again: no real
institution's credential, and nowhere but under DEBUG or DEMO_DATA_ALLOWED.
"""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from cms import demo as cms_demo
from cms import roles
from credentials.issuing import baking, links
from credentials.issuing.signing import sign_award
from credentials.models import Award, Endorsement
from credentials.services import demo, relocation
from credentials.services.endorsements import endorse
from credentials.verify.site import verify

OLD = "http://127.0.0.1:8000"
NEW = "http://127.0.0.1:8101"


@pytest.fixture
def demo_signed_on_port_8000(settings, verify_isolation):
    settings.SITE_URL = OLD
    cms_demo.seed_accounts()
    cms_demo.seed_institutions()
    demo.seed(password=cms_demo.DEMO_PASSWORD, groups=(roles.LEARNERS,))
    for award in Award.objects.all():
        sign_award(award)
    assert all(a.ob3_credential["id"].startswith(OLD) for a in Award.objects.all())
    mine = Award.objects.filter(revoked_at=None, recipient__email=demo.DEMO_LEARNER)
    return mine.filter(is_public=True).first()


def strings_in(document) -> list[str]:
    if isinstance(document, dict):
        return [s for value in document.values() for s in strings_in(value)]
    if isinstance(document, list):
        return [s for value in document for s in strings_in(value)]
    return [document] if isinstance(document, str) else []


def addresses(document) -> list[str]:
    return [s for s in strings_in(document) if s.startswith("http://127.0.0.1:")]


def stored_copies(award) -> dict[str, bytes | str]:
    """What the award keeps as signed: the OB 3.0 credential, its VC-JWT, the OB 2.0 JWS."""
    award.refresh_from_db()
    return {"ob3": json.dumps(award.ob3_credential), "jwt": award.ob3_jwt, "ob2": award.ob2_signed}


def downloads(award) -> dict[str, bytes | str]:
    """What a learner hands an employer: the baked images (baked now) and the documents."""
    copies = stored_copies(award)
    copies.update({fmt: baked.data for fmt, baked in baking.baked_images(award).items()})
    copies.pop("ob2")  # a bare signed OB 2.0 assertion is not what a learner hands anyone
    return copies


@pytest.mark.django_db
def test_on_another_port_the_stored_copies_are_not_valid(demo_signed_on_port_8000, settings):
    # The defect: served on 8101, a credential signed for 8000 names an issuer the site does
    # not know at that address.
    downloaded = downloads(demo_signed_on_port_8000)
    settings.SITE_URL = NEW
    for kind, copy in downloaded.items():
        assert verify(copy).verdict != "valid", kind


@pytest.mark.django_db
def test_resigning_points_every_document_at_the_new_port(demo_signed_on_port_8000, settings):
    settings.SITE_URL = NEW
    current = Award.objects.filter(revoked_at=None)
    assert relocation.resign_moved() == current.count() + Endorsement.objects.count()
    for award in current:
        credential = award.ob3_credential
        assert credential["id"] == f"{NEW}/credentials/{award.public_id}/"
        assert credential["issuer"]["id"].startswith(NEW + "/")
        assert all(url.startswith(NEW + "/") for url in addresses(credential))
        baked = baking.baked_images(award)
        assert len(baked) == 4
        for image in baked.values():
            content = image.data
            assert NEW.encode() in content or b"eyJ" in content
            assert OLD.encode() not in content
    for endorsement in Endorsement.objects.all():
        assert all(url.startswith(NEW + "/") for url in addresses(endorsement.credential))


@pytest.mark.django_db
def test_after_resigning_the_credentials_own_address_verifies_valid(
    demo_signed_on_port_8000, settings, client
):
    settings.SITE_URL = NEW
    relocation.resign_moved()
    for kind, copy in downloads(demo_signed_on_port_8000).items():
        result = verify(copy)
        assert result.verdict == "valid", (kind, result.problem, result.message)
    url = links.award_url(demo_signed_on_port_8000)
    assert verify(url).verdict == "valid"
    page = client.post("/verify/", {"text": url})
    assert "Unknown issuer" not in page.content.decode()
    assert page.context["result"].verdict == "valid"


@pytest.mark.django_db
def test_resigning_twice_does_nothing_the_second_time(demo_signed_on_port_8000, settings):
    settings.SITE_URL = NEW
    relocation.resign_moved()
    signed = {a.pk: a.ob3_credential for a in Award.objects.all()}
    assert relocation.resign_moved() == 0
    assert {a.pk: a.ob3_credential for a in Award.objects.all()} == signed


@pytest.mark.django_db
def test_nothing_is_resigned_while_the_address_is_unchanged(demo_signed_on_port_8000):
    assert relocation.resign_moved() == 0


@pytest.mark.django_db
def test_seed_demo_resigns_and_says_so(demo_signed_on_port_8000, settings, capsys, home_page):
    settings.SITE_URL = NEW
    call_command("seed_demo")
    assert f"again for {NEW}" in capsys.readouterr().out
    assert not relocation.moved_awards() and not relocation.moved_endorsements()


@pytest.mark.django_db
def test_a_revoked_demo_award_stays_as_it_was_issued(demo_signed_on_port_8000, settings):
    revoked = Award.objects.exclude(revoked_at=None).get()
    before = stored_copies(revoked)
    settings.SITE_URL = NEW
    relocation.resign_moved()
    assert stored_copies(revoked) == before
    assert revoked.ob3_credential["id"].startswith(OLD + "/")


@pytest.fixture
def real_award_and_endorsement(signed, other_issuer, other_staff, badge, settings):
    """A real (non-demo) institution's signed award, and an endorsement another real
    institution gave, all signed while the site lived at http://testserver."""
    sign_award(signed)
    endorsement = endorse(badge, other_issuer, "We hire its holders.", other_staff)
    assert signed.ob3_credential["id"].startswith("http://testserver/")
    return Award.objects.get(pk=signed.pk), endorsement


@pytest.mark.django_db
def test_a_real_institutions_credentials_are_never_resigned(real_award_and_endorsement, settings):
    award, endorsement = real_award_and_endorsement
    before = stored_copies(award)
    settings.SITE_URL = "https://new.example"
    assert relocation.resign_moved() == 0
    assert stored_copies(award) == before
    endorsement.refresh_from_db()
    assert endorsement.credential["id"].startswith("http://testserver/")


@pytest.mark.django_db
def test_resigning_refuses_outside_debug_and_demo_settings(demo_signed_on_port_8000, settings):
    settings.SITE_URL = NEW
    settings.DEBUG = False
    settings.DEMO_DATA_ALLOWED = False
    signed = {a.pk: a.ob3_credential for a in Award.objects.all()}
    with pytest.raises(ImproperlyConfigured):
        relocation.resign_moved()
    assert {a.pk: a.ob3_credential for a in Award.objects.all()} == signed
    settings.DEBUG = True  # make run: DEBUG alone is enough
    assert relocation.resign_moved() > 0


@pytest.mark.django_db
def test_the_moved_awards_are_chosen_by_the_database(demo_signed_on_port_8000, settings):
    settings.SITE_URL = NEW
    moved = relocation.moved_awards()
    assert moved.count() == Award.objects.filter(revoked_at=None).count()
    assert "127.0.0.1:8101/" in str(moved.query)


@pytest.mark.django_db
def test_a_failure_while_signing_leaves_the_old_signed_copy_whole(
    demo_signed_on_port_8000, settings, monkeypatch
):
    award = demo_signed_on_port_8000
    before = stored_copies(award)

    def broken(*args, **kwargs):
        raise OSError("key store unreadable")

    monkeypatch.setattr(relocation, "signed_documents", broken)
    settings.SITE_URL = NEW
    with pytest.raises(OSError):
        relocation.resign_moved()
    assert stored_copies(award) == before


@pytest.mark.django_db
def test_a_failure_while_swapping_leaves_the_old_copy_and_stores_no_file(
    demo_signed_on_port_8000, settings, monkeypatch
):
    award = demo_signed_on_port_8000
    before = stored_copies(award)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Award, "save", broken)
    settings.SITE_URL = NEW
    with pytest.raises(RuntimeError):
        relocation.resign_moved()
    assert stored_copies(award) == before
    assert not (Path(settings.MEDIA_ROOT) / "baked").exists()


def test_the_demo_institutions_are_named_in_one_place():
    assert {data["slug"] for data in cms_demo.INSTITUTIONS} == set(demo.DEMO_ISSUERS)
    assert {data["issuer"] for data in demo.BADGES} <= set(demo.DEMO_ISSUERS)
    assert cms_demo.PENDING_REQUEST[1] in demo.DEMO_ISSUERS
