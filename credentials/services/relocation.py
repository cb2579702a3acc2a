"""Re-sign what was signed for another ``SITE_URL`` (the demo data under ``make run``).

Every signed document carries absolute addresses under ``SITE_URL``: the credential's id, its
issuer's profile and keys, its badge and image. They are stored as signed (``Award``'s proofs,
its baked images, an ``Endorsement``'s credential), so that they stay verifiable. A demo
database seeded while the site served on one port and then served on another
(``PORT=8101 make run``) would hand out credentials pointing at the old port, and the verifier
would call their issuer unknown. ``manage.py seed_demo`` calls :func:`resign_moved` so that
whatever was signed for another address is signed again for this one.

Not for a production site that changes its address: what it issued is out in the world with
the old addresses, and stays as it was issued.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from credentials.issuing import openbadges3
from credentials.issuing.baking import bake_award
from credentials.issuing.signing import SIGNED_FIELDS
from credentials.models import Award, BakedImage, Endorsement


def _here(document: object) -> bool:
    """True when a signed document's id is under the current ``SITE_URL``."""
    identifier = document.get("id") if isinstance(document, dict) else None
    return isinstance(identifier, str) and identifier.startswith(settings.SITE_URL + "/")


def moved_endorsements() -> list[Endorsement]:
    """Endorsements whose signed credential names another site address."""
    signed = Endorsement.objects.exclude(credential=None).select_related("endorser", "badge_class")
    return [found for found in signed if not _here(found.credential)]


def moved_awards() -> list[Award]:
    """Signed awards whose OB 3.0 credential names another site address."""
    signed = Award.objects.exclude(signed_at=None).select_related("badge_class__issuer")
    return [award for award in signed if not _here(award.ob3_credential)]


def resign_moved() -> int:
    """Sign again, for the current ``SITE_URL``, every endorsement and award signed for
    another; awards are baked again. Returns how many documents were signed. Idempotent:
    a second call finds nothing to do.

    Endorsements come first: an award carries its badge's endorsements inside it.
    """
    done = 0
    for endorsement in moved_endorsements():
        with transaction.atomic():
            locked = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
            if locked.credential is None or _here(locked.credential):
                continue
            locked.credential = openbadges3.sign_credential(
                openbadges3.endorsement_credential(locked), locked.endorser
            )
            locked.save(update_fields=["credential"])
        done += 1
    for award in moved_awards():
        with transaction.atomic():
            locked = Award.objects.select_for_update().get(pk=award.pk)
            if locked.signed_at is None or _here(locked.ob3_credential):
                continue
            stale = list(BakedImage.objects.filter(award=locked))
            BakedImage.objects.filter(pk__in=[b.pk for b in stale]).delete()
            for field in SIGNED_FIELDS:
                setattr(locked, field, "" if field != "ob3_credential" else None)
            locked.signed_at = None
            locked.save(update_fields=[*SIGNED_FIELDS, "signed_at"])
            files = [baked.file for baked in stale]
            transaction.on_commit(lambda files=files: [f.delete(save=False) for f in files])
        bake_award(locked)
        done += 1
    return done
