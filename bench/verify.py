"""Verifications per second through POST /api/v1/verify, and the ratio to the raw floor.

One process: the API (django-ninja, Django's handler), the engine and our own documents
served in-process. Two baked PNGs of one of our awards (Open Badges 3.0): with the embedded
Data Integrity proof, and with the VC-JWT. The floor, measured in the same run, is the bare
signature check alone (Ed25519 verify of 64 bytes of hashData; RS256 verify of the JWS).
"Warm" keeps the fetch cache (issuer profile, status list: what a busy verifier sees);
"cold" clears it before every verification (every document fetched again).

Run with ``make bench`` (DJANGO_SETTINGS_MODULE=cms.settings.test); it is not a test.
"""

from __future__ import annotations

import atexit
import base64
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.mkdtemp(prefix="bench-verify-")
atexit.register(shutil.rmtree, _tmp, ignore_errors=True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"
os.environ["MEDIA_ROOT"] = f"{_tmp}/media"

import django  # noqa: E402

django.setup()

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "150"))


def setup():
    import logging

    logging.disable(logging.WARNING)
    call_command("migrate", verbosity=0)
    settings.VERIFY_RATE_LIMIT = (10**9, 60)
    settings.MEDIA_ROOT = os.environ["MEDIA_ROOT"]
    from credentials import services
    from credentials.issuing import baking, keystore
    from credentials.models import BadgeClass, Issuer, IssuerKey
    from credentials.standards import bakery

    issuer = Issuer.objects.create(
        slug="bench", name="Bench University", kind="university", url="https://bench.example",
        email="b@bench.example", country="NL",
    )  # fmt: skip
    badge = BadgeClass.objects.create(
        issuer=issuer, slug="bench", name="Bench badge", description="Benchmarks.",
        criteria_narrative="Run it.", status=BadgeClass.Status.PUBLISHED,
    )  # fmt: skip
    award = baking.sign_award(services.award(badge, "bench@example.org"))
    base = baking.base_images(badge)["png"]
    images = {
        "data-integrity": bakery.bake(base, award.ob3_credential, version="3.0"),
        "vc-jwt": bakery.bake(base, award.ob3_jwt, version="3.0"),
    }
    ed = keystore.public_key(keystore.active_key(issuer, IssuerKey.Algorithm.ED25519))
    rsa_key = keystore.public_key(keystore.active_key(issuer, IssuerKey.Algorithm.RSA))
    return award, images, ed, rsa_key


def per_second(action, rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        action()
    return rounds / (time.perf_counter() - started)


def main() -> None:
    award, images, ed_key, rsa_key = setup()
    client = Client()

    def api(image: bytes, cold: bool):
        def call():
            if cold:
                cache.clear()
            response = client.post(
                "/api/v1/verify", {"file": SimpleUploadedFile("badge.png", image)}
            )
            status = response.json()["status"]
            if status != "valid":
                raise SystemExit(f"expected a valid verdict, got {status}")

        return call

    # Floors: the signature checks alone, the same keys and sizes.
    hash_data = os.urandom(64)
    from credentials.issuing import keystore
    from credentials.models import IssuerKey

    issuer = award.badge_class.issuer
    ed_private = keystore.private_key(keystore.active_key(issuer, IssuerKey.Algorithm.ED25519))
    ed_signature = ed_private.sign(hash_data)
    head, payload, signature = award.ob3_jwt.split(".")
    signing_input = f"{head}.{payload}".encode()
    rsa_signature = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    floors = {
        "data-integrity": per_second(lambda: ed_key.verify(ed_signature, hash_data), ROUNDS * 20),
        "vc-jwt": per_second(
            lambda: rsa_key.verify(
                rsa_signature, signing_input, padding.PKCS1v15(), hashes.SHA256()
            ),
            ROUNDS * 20,
        ),
    }
    print(f"Verifying one baked OB 3.0 PNG through POST /api/v1/verify, {ROUNDS} rounds each")
    print(f"{'proof':<16}{'cache':<7}{'verifs/s':>10}{'floor/s':>11}{'floor ÷ API':>13}")
    for name, image in images.items():
        for cold in (False, True):
            call = api(image, cold)
            call()  # warm up: contexts processed, documents cached
            rate = per_second(call, ROUNDS)
            floor = floors[name]
            label = "cold" if cold else "warm"
            print(f"{name:<16}{label:<7}{rate:>10.1f}{floor:>11.0f}{floor / rate:>12.0f}x")


if __name__ == "__main__":
    main()
