import io
import json

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from credentials import services
from credentials.issuing import baking
from credentials.issuing.signing import sign_award
from credentials.models import Award, IssuerKey
from credentials.standards import bakery

pytestmark = pytest.mark.django_db


def read(baked: baking.Baked) -> bytes:
    return baked.data


def test_baking_makes_png_and_svg_for_both_versions(given):
    baked = baking.baked_images(given)
    assert set(baked) == {"png2", "svg2", "png3", "svg3"}
    ob2 = bakery.extract(read(baked["png2"]), version="2.0").json()
    assert ob2["type"] == "Assertion" and ob2["verification"]["type"] == "HostedBadge"
    ob3 = bakery.extract(read(baked["svg3"]), version="3.0").json()
    assert ob3["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert bakery.extract(read(baked["png3"])).version == "3.0"
    assert bakery.extract(read(baked["svg2"])).version == "2.0"


def test_the_baked_ob3_credential_is_the_signed_one(given):
    baked = baking.baked_image(given, "png3")
    given.refresh_from_db()
    assert bakery.extract(read(baked), version="3.0").json() == given.ob3_credential


def test_baking_twice_gives_the_same_bytes_and_stores_no_file(given, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    first = baking.baked_images(given)
    second = baking.baked_images(Award.objects.get(pk=given.pk))
    assert {f: b.sha256 for f, b in first.items()} == {f: b.sha256 for f, b in second.items()}
    assert not any(tmp_path.rglob("*.*"))


def test_a_download_before_the_task_signs_the_award_once(given):
    baked = baking.baked_image(given, "png3")
    assert baked.format == "png3"
    signed = Award.objects.get(pk=given.pk)
    assert signed.signed_at is not None
    assert baking.baked_image(signed, "png3").data == baked.data


def test_an_unknown_format_is_refused(given):
    with pytest.raises(ValueError, match="unknown format"):
        baking.baked_image(given, "gif9")


def test_the_badge_own_png_is_used(badge, learner):
    from django.core.files.base import ContentFile

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="PNG")
    badge.image.save("red.png", ContentFile(out.getvalue()))
    award = services.award(badge, learner)
    png = read(baking.baked_image(award, "png2"))
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (40, 30)
    svg = read(baking.baked_image(award, "svg2")).decode()
    assert "data:image/png;base64," in svg


def test_an_svg_badge_is_baked_as_svg(badge, learner):
    from django.core.files.base import ContentFile

    badge.image.save(
        "b.svg",
        ContentFile(
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b'<rect width="10" height="10"/></svg>'
        ),
    )
    award = services.award(badge, learner)
    svg = read(baking.baked_image(award, "svg3"))
    assert b"<rect" in svg and b"openbadges:credential" in svg


def test_awarding_enqueues_signing_on_commit(badge, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        award = services.award(badge, learner)
    award.refresh_from_db()
    assert award.signed_at is not None


def test_the_award_issued_signal_is_sent_once_on_commit(
    badge, learner, django_capture_on_commit_callbacks
):
    from credentials.signals import award_issued

    seen = []

    def listener(sender, award, **kwargs):
        seen.append(award.pk)

    award_issued.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = services.award(badge, learner)
        with django_capture_on_commit_callbacks(execute=True):
            services.award(badge, learner)  # idempotent retry: no second signal
    finally:
        award_issued.disconnect(listener)
    assert seen == [first.pk]


def test_the_rotate_keys_command_rotates_and_old_credentials_still_verify(given):
    signed = sign_award(given)
    out = io.StringIO()
    call_command("rotate_keys", given.badge_class.issuer.slug, stdout=out)
    assert "ed25519-2" in out.getvalue()
    assert IssuerKey.objects.filter(retired_at__isnull=True).count() == 2
    assert json.dumps(signed.ob3_credential)


def test_the_rotate_keys_command_refuses_unknown_issuers(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("rotate_keys", "nobody")
