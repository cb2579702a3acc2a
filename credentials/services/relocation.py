"""Re-sign the demo credentials signed for another ``SITE_URL`` (``make run`` on another port).

Every signed document carries absolute addresses under ``SITE_URL``: the credential's id, its
issuer's profile and keys, its badge and image. They are stored as signed (``Award``'s proofs,
an ``Endorsement``'s credential), so that they stay verifiable; an award's images are baked
from its proofs when downloaded, so they follow. A demo
database seeded while the site served on one port and then served on another
(``PORT=8101 make run``) would hand out credentials pointing at the old port, and the verifier
would call their issuer unknown. ``manage.py seed_demo`` calls :func:`resign_moved` so that
the demo institutions' credentials signed for another address are signed again for this one.

Only demo data, only where demo data may be written:

* only the demo institutions' (``credentials.services.demo.DEMO_ISSUERS``) awards and the
  endorsements they gave; a real institution's credential is out in the world with the
  addresses it was issued under and stays exactly as it was issued;
* never a revoked award: it says what it said when it was withdrawn;
* only under DEBUG or ``DEMO_DATA_ALLOWED`` (:func:`~credentials.services.demo.demo_data_allowed`);
  anywhere else it refuses (``ImproperlyConfigured``).

An award's new proofs are made first and swapped in in one statement, so a failure leaves the
old signed copy whole.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from credentials.issuing import openbadges3
from credentials.issuing.signing import SIGNED_FIELDS, signed_documents
from credentials.models import Award, Endorsement
from credentials.services.demo import DEMO_ISSUERS, demo_data_allowed


def _prefix() -> str:
    return settings.SITE_URL + "/"


def _here(document: object) -> bool:
    """True when a signed document's id is under the current ``SITE_URL``."""
    identifier = document.get("id") if isinstance(document, dict) else None
    return isinstance(identifier, str) and identifier.startswith(_prefix())


def moved_endorsements() -> QuerySet[Endorsement]:
    """The demo institutions' endorsements whose signed credential names another address."""
    return (
        Endorsement.objects.filter(endorser__slug__in=DEMO_ISSUERS)
        .exclude(credential=None)
        .exclude(credential__id__startswith=_prefix())
        .select_related("endorser", "badge_class")
    )


def moved_awards() -> QuerySet[Award]:
    """The demo institutions' signed, unrevoked awards whose OB 3.0 credential names another
    address (chosen by the database: no award's documents are read)."""
    return (
        Award.objects.filter(badge_class__issuer__slug__in=DEMO_ISSUERS, revoked_at=None)
        .exclude(signed_at=None)
        .exclude(ob3_credential__id__startswith=_prefix())
        .select_related("badge_class__issuer")
    )


def _resign_endorsement(pk: int) -> bool:
    with transaction.atomic():
        locked = moved_endorsements().select_for_update(of=("self",)).filter(pk=pk).first()
        if locked is None or _here(locked.credential):
            return False
        locked.credential = openbadges3.sign_credential(
            openbadges3.endorsement_credential(locked), locked.endorser
        )
        locked.save(update_fields=["credential"])
    return True


def _resign_award(award: Award) -> bool:
    """Sign ``award`` again and swap the new proofs in. False when another run did it
    meanwhile (or it was revoked meanwhile)."""
    documents = signed_documents(award)
    with transaction.atomic():
        locked = moved_awards().select_for_update(of=("self",)).filter(pk=award.pk).first()
        if locked is None or _here(locked.ob3_credential):
            return False
        for field in SIGNED_FIELDS:
            setattr(locked, field, documents[field])
        locked.signed_at = timezone.now()
        locked.save(update_fields=[*SIGNED_FIELDS, "signed_at"])
    return True


def resign_moved() -> int:
    """Sign again, for the current ``SITE_URL``, every demo endorsement and unrevoked demo award
    signed for another. Returns how many documents were signed.
    Idempotent: a second call finds nothing to do. Refuses (``ImproperlyConfigured``) unless
    demo data may be written here.

    Endorsements come first: an award carries its badge's endorsements inside it.
    """
    if not demo_data_allowed():
        raise ImproperlyConfigured(
            "Demo credentials are signed again only under DEBUG or DEMO_DATA_ALLOWED; "
            "this site's credentials stay as they were issued."
        )
    done = sum(_resign_endorsement(pk) for pk in moved_endorsements().values_list("pk", flat=True))
    for award in moved_awards():
        done += _resign_award(award)
    return done
