import io
import json

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from credentials import services
from credentials.issuing import baking
from credentials.issuing.signing import sign_award
from credentials.models import BakedImage, IssuerKey
from credentials.standards import bakery

pytestmark = pytest.mark.django_db


def read(baked: BakedImage) -> bytes:
    with baked.file.open("rb") as handle:
        return handle.read()


def test_baking_stores_png_and_svg_for_both_versions(given):
    baked = baking.bake_award(given)
    assert set(baked) == {"png2", "svg2", "png3", "svg3"}
    ob2 = bakery.extract(read(baked["png2"]), version="2.0").json()
    assert ob2["type"] == "Assertion" and ob2["verification"]["type"] == "HostedBadge"
    ob3 = bakery.extract(read(baked["svg3"]), version="3.0").json()
    assert ob3["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert bakery.extract(read(baked["png3"])).version == "3.0"
    assert bakery.extract(read(baked["svg2"])).version == "2.0"


def test_the_baked_ob3_credential_is_the_signed_one(given):
    baked = baking.bake_award(given)
    given.refresh_from_db()
    assert bakery.extract(read(baked["png3"]), version="3.0").json() == given.ob3_credential


def test_baking_twice_changes_nothing(given):
    first = baking.bake_award(given)
    second = baking.bake_award(given)
    assert {f: b.pk for f, b in first.items()} == {f: b.pk for f, b in second.items()}
    assert BakedImage.objects.count() == 4


def test_a_download_before_the_task_bakes_just_that_image(given):
    baked = baking.baked_image(given, "png3")
    assert baked.format == "png3" and BakedImage.objects.count() == 1
    assert baking.bake_award(given)["png3"].pk == baked.pk


def test_an_unknown_format_is_refused(given):
    with pytest.raises(ValueError, match="unknown format"):
        baking.baked_image(given, "gif9")


def test_the_badge_own_png_is_used(badge, learner):
    from django.core.files.base import ContentFile

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="PNG")
    badge.image.save("red.png", ContentFile(out.getvalue()))
    award = services.award(badge, learner)
    png = read(baking.bake_award(award)["png2"])
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (40, 30)
    svg = read(baking.bake_award(award)["svg2"]).decode()
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
    svg = read(baking.bake_award(award)["svg3"])
    assert b"<rect" in svg and b"openbadges:credential" in svg


def test_awarding_enqueues_baking_on_commit(badge, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        award = services.award(badge, learner)
    assert BakedImage.objects.filter(award=award).count() == 4
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


def test_the_rebake_command_rebakes(given):
    baking.bake_award(given)
    old = set(BakedImage.objects.values_list("pk", flat=True))
    call_command("rebake", "--force", stdout=io.StringIO())
    assert old.isdisjoint(BakedImage.objects.values_list("pk", flat=True))
    assert BakedImage.objects.count() == 4


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
