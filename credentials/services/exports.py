"""Every file of one credential, for the learner's own data export (cms.account_data)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from credentials.issuing import baking, openbadges2, pdf
from credentials.issuing.signing import sign_award
from credentials.models import Award
from lib.i18n import in_language_of


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


def award_files(award: Award) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of every format of ``award``: the OB 2.0 assertion (JSON) and signed
    assertion (JWS), the OB 3.0 credential (JSON) and VC-JWT, the four baked images and the
    PDF certificate. Signs it if it is not yet (idempotent); the images are baked here."""
    award = sign_award(award)
    document = (
        openbadges2.revoked_assertion_document(award)
        if award.is_revoked
        else openbadges2.assertion_document(award)
    )
    yield "assertion-ob2.json", _dumps(document)
    yield "assertion-ob2.jws", award.ob2_signed.encode("ascii")
    yield "credential-ob3.json", _dumps(award.ob3_credential)
    yield "credential-ob3.jwt", award.ob3_jwt.encode("ascii")
    for fmt, baked in baking.baked_images(award).items():
        version = "ob2" if fmt.endswith("2") else "ob3"
        yield f"badge-{version}.{baking.EXTENSION[fmt]}", baked.data
    with in_language_of(award.recipient):  # the learner's own export, in their language
        certificate = pdf.certificate(award)
    yield "certificate.pdf", certificate
