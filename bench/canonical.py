"""Data Integrity canonicalisation: pyld's path against the fast path, side by side.

The same OB 3.0 credentials (an EU micro-credential badge, endorsed, with evidence; and a
plain badge), built by the issuing code on a throw-away SQLite database, go through both
paths in one run, rounds interleaved so the machine's noise falls on both alike:

  canonicalise   the credential to canonical N-Quads (ContextStore.canonicalize)
  sign           one eddsa-rdfc-2022 proof (two canonicalisations, SHA-256, Ed25519)
  verify         checking that proof
  sign an award  everything an award's signing does (issuing.signing.signed_documents:
                 the OB 2.0 JWS, the OB 3.0 proof and the VC-JWT); the proof's share of it

Both paths give the same bytes (checked here again); tests/credentials/standards/
test_canonical.py is where that is proven. Run: make bench (or
DJANGO_SETTINGS_MODULE=cms.settings.test .venv/bin/python bench/canonical.py).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.mkdtemp(prefix="bench-canonical-")
atexit.register(shutil.rmtree, _tmp, ignore_errors=True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"
os.environ["MEDIA_ROOT"] = f"{_tmp}/media"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from credentials.standards import dataintegrity  # noqa: E402
from credentials.standards.jsonld import ContextStore  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
CREATED = "2026-01-01T00:00:00Z"


def credentials() -> tuple[list[dict], list]:
    """Unsigned OB 3.0 credentials as we issue them, and their awards."""
    import logging

    logging.disable(logging.WARNING)
    call_command("migrate", verbosity=0)
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from credentials import services
    from credentials.issuing import openbadges3
    from credentials.models import BadgeClass, Issuer
    from credentials.services import endorsements

    settings.MEDIA_ROOT = os.environ["MEDIA_ROOT"]
    issuer = Issuer.objects.create(
        slug="bench", name="Bench University", kind="university", url="https://bench.example",
        email="b@bench.example", country="NL",
    )  # fmt: skip
    partner = Issuer.objects.create(
        slug="helix", name="Helix", kind="company", url="https://helix.example",
        email="h@helix.example", country="DE",
    )  # fmt: skip
    eu = BadgeClass.objects.create(
        issuer=issuer, slug="spotter", name="Opportunity Spotter", description="Spots them.",
        criteria_narrative="Pass the course.", status=BadgeClass.Status.PUBLISHED,
        is_micro_credential=True, learning_outcomes="Spot one\nPitch it", workload_hours=25,
        ects_credits=1, eqf_level=6, assessment_type="Jury", participation_form="online",
        quality_assurance="Internal", tags=["co-creation"],
    )  # fmt: skip
    plain = BadgeClass.objects.create(
        issuer=issuer, slug="plain", name="Plain badge", description="Benchmarks.",
        criteria_narrative="Run it.", status=BadgeClass.Status.PUBLISHED,
    )  # fmt: skip
    staff = get_user_model().objects.create_user(email="staff@helix.example", password="x")
    partner.staff.add(staff)
    endorsements.endorse(eu, partner, "Helix hires people who hold “this” badge.", staff)
    evidence = [services.Evidence(name="Pitch", narrative='Pitched to Helix, "live".')]
    awards = [services.award(eu, f"eu{n}@example.org", evidence) for n in range(5)]
    awards += [services.award(plain, f"plain{n}@example.org") for n in range(5)]
    return [openbadges3.credential(award) for award in awards], awards


def timed(action: Callable[[], object], count: int) -> float:
    """CPU seconds of this process per call: other processes on a shared machine add less
    noise to it than to wall-clock time."""
    started = time.process_time()
    for _ in range(count):
        action()
    return (time.process_time() - started) / count


def main() -> None:
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from credentials.issuing import signing

    documents, awards = credentials()
    stores = {"pyld": ContextStore(fast=False), "fast": ContextStore()}
    key = ed25519.Ed25519PrivateKey.generate()
    method = "https://bench.example/keys/1"
    public = key.public_key()

    def sign(store: ContextStore) -> list[dict]:
        return [
            dataintegrity.sign_eddsa_rdfc_2022(d, key, method, created=CREATED, store=store)
            for d in documents
        ]

    signed = {name: sign(store) for name, store in stores.items()}  # warms both up
    if signed["pyld"] != signed["fast"]:
        raise SystemExit("the two paths signed different bytes")
    for name, store in stores.items():
        for document in documents:
            if store.canonicalize(document) != stores["pyld"].canonicalize(document):
                raise SystemExit(f"{name} canonicalised differently")

    def award_signing(store: ContextStore) -> Callable[[], object]:
        def run() -> None:
            dataintegrity.default_store = store  # what issuing signs with
            for award in awards:
                signing.signed_documents(award)

        return run

    cases: dict[str, dict[str, Callable[[], object]]] = {}
    for name, store in stores.items():
        cases.setdefault("canonicalise", {})[name] = lambda s=store: [
            s.canonicalize(d) for d in documents
        ]
        cases.setdefault("sign", {})[name] = lambda s=store: sign(s)
        cases.setdefault("verify", {})[name] = lambda s=store, n=name: [
            dataintegrity.verify_eddsa_rdfc_2022(d, lambda _m: public, store=s) for d in signed[n]
        ]
        cases.setdefault("sign an award", {})[name] = award_signing(store)
    totals = {case: {name: 0.0 for name in stores} for case in cases}
    for _ in range(ROUNDS):
        for case, runs in cases.items():
            for name, run in runs.items():
                totals[case][name] += timed(run, 1)
    dataintegrity.default_store = stores["fast"]

    per = len(documents)
    print(f"{per} OB 3.0 credentials (EU + endorsed, plain), {ROUNDS} interleaved rounds")
    print(f"{'CPU per credential':<20}{'pyld ms':>9}{'fast ms':>9}{'pyld ÷ fast':>12}")
    ms = {
        case: {name: totals[case][name] / ROUNDS / per * 1000 for name in stores} for case in cases
    }
    for case, row in ms.items():
        ratio = row["pyld"] / row["fast"]
        print(f"{case:<20}{row['pyld']:>9.2f}{row['fast']:>9.2f}{ratio:>11.1f}x")
    whole = ms["sign an award"]
    proof = ms["sign"]
    print(
        "the proof's share of signing an award: "
        f"pyld {proof['pyld'] / whole['pyld']:.0%}, fast {proof['fast'] / whole['fast']:.0%}"
    )


if __name__ == "__main__":
    main()
