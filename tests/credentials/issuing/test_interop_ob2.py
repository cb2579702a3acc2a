"""1EdTech's Open Badges 2.0 validator (PyPI ``openbadges``), which we did not write, accepts
our hosted, signed and baked OB 2.0 badges, and rejects them once revoked or tampered with.

The validator runs in its own virtualenv (installed once into .venv-ob2validator/) and
fetches every document from this test's live server — it may not reach anything else.
"""

import json
import subprocess

import pytest

from credentials import services
from credentials.issuing import baking
from credentials.issuing.signing import sign_award
from tests.credentials.formats_support import EU_FIELDS
from tests.credentials.interop import setup

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.interop]
DRIVER = setup.HERE / "ob2_validate.py"


@pytest.fixture(scope="session")
def validator():
    return setup.ensure_ob2_validator()


@pytest.fixture
def served_ob2(live_server, settings, tmp_path, competences, learner, make_user):
    """An issuer, a badge and an award whose URLs point at the live server."""
    from cms import roles
    from tests.credentials.factories import make_badge, make_issuer

    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    issuer = make_issuer("uni", country="NL")
    badge = make_badge(issuer, tags=["co-creation"], **EU_FIELDS)
    badge.alignments.set(competences)
    staff = make_user("staff@uni.example", roles.ISSUER_STAFF)
    issuer.staff.add(staff)
    award = sign_award(services.award(badge, learner, [services.Evidence(name="Pitch")]))
    services.backpack.set_visibility(award, True, by=learner)  # others fetch it by URL
    return award, staff


def validate(validator, argument: str) -> dict:
    result = subprocess.run(
        [str(validator), str(DRIVER), argument],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def errors(report: dict) -> list[str]:
    return [m["result"] for m in report["report"]["messages"] if m.get("messageLevel") == "ERROR"]


def test_the_validator_accepts_the_hosted_assertion(validator, served_ob2):
    award, _ = served_ob2
    report = validate(validator, _url(award))
    assert errors(report) == [] and report["report"]["valid"] is True, report["report"]
    assert report["report"]["openBadgesVersion"] == "2.0"
    kinds = {node.get("type") for node in report["graph"]}
    assert {"Assertion", "BadgeClass", "Issuer"} <= kinds


def test_the_validator_accepts_the_signed_assertion(validator, served_ob2):
    award, _ = served_ob2
    report = validate(validator, award.ob2_signed)
    assert errors(report) == [] and report["report"]["valid"] is True, report["report"]


def test_the_validator_accepts_the_baked_png(validator, served_ob2, tmp_path):
    award, _ = served_ob2
    baked = baking.baked_image(award, "png2")
    path = tmp_path / "baked.png"
    with baked.file.open("rb") as handle:
        path.write_bytes(handle.read())
    report = validate(validator, f"@{path}")
    assert errors(report) == [] and report["report"]["valid"] is True, report["report"]


def test_the_validator_rejects_a_revoked_signed_badge_from_the_revocation_list(
    validator, served_ob2
):
    award, staff = served_ob2
    services.revoke(award, "Plagiarised project", staff)
    report = validate(validator, award.ob2_signed)
    assert report["report"]["valid"] is False
    assert any("has been revoked" in message for message in errors(report)), errors(report)


def test_the_validator_rejects_a_revoked_hosted_badge(validator, served_ob2):
    """The hosted URL answers 410 Gone with only ``id`` and ``revoked: true`` (and the reason),
    as OB 2.0 says. This validator version does not name revocation for hosted badges; it
    refuses the assertion because the revoked answer no longer carries the badge.

    It reads neither the HTTP status nor ``revoked`` of a hosted assertion (and checks the
    revocation list only for signed ones; 1EdTech/openbadges-validator-core#236), so serving
    the full assertion with ``revoked: true`` would make it report a revoked badge as valid."""
    award, staff = served_ob2
    services.revoke(award, "Plagiarised project", staff)
    report = validate(validator, _url(award))
    assert report["report"]["valid"] is False
    assert any("Required property badge not present" in m for m in errors(report)), errors(report)


def test_the_validator_rejects_a_tampered_signed_assertion(validator, served_ob2):
    import base64

    award, _ = served_ob2
    header, payload, signature = award.ob2_signed.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=="))
    data["issuedOn"] = "2020-01-01T00:00:00Z"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    report = validate(validator, f"{header}.{forged}.{signature}")
    assert report["report"]["valid"] is False
    assert errors(report)


def _url(award) -> str:
    from credentials.issuing.links import award_url

    return award_url(award)


def test_the_validator_accepts_a_badge_endorsed_by_a_partner(validator, served_ob2, make_user):
    """The BadgeClass lists the partner's hosted Endorsement; the validator follows it."""
    from cms import roles
    from credentials.services import endorsements
    from tests.credentials.factories import make_issuer

    award, _ = served_ob2
    partner = make_issuer("helix", kind="company", country="DE")
    partner_staff = make_user("staff@helix.example", roles.ISSUER_STAFF)
    partner.staff.add(partner_staff)
    endorsements.endorse(award.badge_class, partner, "We hire people with it.", partner_staff)
    report = validate(validator, _url(award))
    assert errors(report) == [] and report["report"]["valid"] is True, report["report"]
    kinds = {node.get("type") for node in report["graph"]}
    assert "Endorsement" in kinds, kinds
