"""Sign an award once, in every format, and keep what was signed.

The stored documents stay verifiable after a key rotation (old public keys stay published)
and after later edits to the badge class or the issuer: a credential says what was true when
it was issued. Idempotent: an award already signed is returned as it is.
"""

from __future__ import annotations

from django.db import connections, router, transaction
from django.utils import timezone

from credentials.issuing import openbadges2, openbadges3
from credentials.models import Award

SIGNED_FIELDS = ("ob2_signed", "ob3_credential", "ob3_jwt")


def signed_documents(award: Award) -> dict:
    """Sign ``award`` without saving: the OB 2.0 JWS, the OB 3.0 credential and its VC-JWT."""
    issuer = award.badge_class.issuer
    unsigned = openbadges3.credential(award)
    return {
        "ob2_signed": openbadges2.sign_assertion(award),
        "ob3_credential": openbadges3.sign_credential(unsigned, issuer),
        "ob3_jwt": openbadges3.encode_jwt(unsigned, issuer),
    }


def sign_award(award: Award) -> Award:
    """Sign and store ``award``'s proofs unless it already has them. Idempotent."""
    if award.signed_at is not None:
        return award
    award = Award.objects.select_related("badge_class__issuer").get(pk=award.pk)
    if award.signed_at is not None:
        return award
    documents = signed_documents(award)
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award.pk)
        if locked.signed_at is None:
            for field, value in documents.items():
                setattr(locked, field, value)
            locked.signed_at = timezone.now()
            locked.save(update_fields=[*documents, "signed_at"])
    award.refresh_from_db()
    return award


class SigningError(RuntimeError):
    """Some awards of a batch could not be signed; the rest were saved."""


def sign_many(awards: list[Award]) -> int:
    """``sign_award`` for many awards in memory, saved in one statement. Idempotent.

    The bulk award's path: ``awards`` are the objects the caller holds (not read again); those
    not yet signed are signed in memory and written with one ``UPDATE`` that only touches rows
    still unsigned, so an award another process signed meanwhile keeps its proofs (and the
    object here is given them). An award that cannot be signed does not hold up the others:
    they are saved, then ``SigningError`` names it. Returns how many awards this call signed.
    """
    todo = [award for award in awards if award.signed_at is None]
    failed: dict[Award, Exception] = {}
    signed = []
    for award in todo:
        try:
            documents = signed_documents(award)
        except Exception as error:  # noqa: BLE001 - reported below, after the others are saved
            failed[award] = error
            continue
        for field, value in documents.items():
            setattr(award, field, value)
        signed.append(award)
    count = 0
    if signed:
        now = timezone.now()
        for award in signed:
            award.signed_at = now
        count = _save_signed(signed)
        if count < len(signed):  # some were signed elsewhere meanwhile: theirs stand
            _take_stored([award.pk for award in signed], signed)
    if failed:
        award, error = next(iter(failed.items()))
        raise SigningError(
            f"{len(failed)} credential(s) could not be signed, first {award.recipient_email}: "
            f"{error}"
        ) from error
    return count


def _save_signed(awards: list[Award]) -> int:
    """One ``UPDATE … FROM (VALUES …)`` writing the proofs of ``awards`` into the rows that are
    still unsigned (PostgreSQL and SQLite 3.33+); returns how many rows it wrote. Django's
    ``bulk_update`` would write the same in one statement of ``CASE`` per field, whose building
    cost more than the write."""
    names = (*SIGNED_FIELDS, "signed_at")
    fields = [Award._meta.get_field(name) for name in names]
    connection = connections[router.db_for_write(Award)]
    quote = connection.ops.quote_name
    table = quote(Award._meta.db_table)
    row = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    params: list = []
    for award in awards:
        params.append(award.pk)
        params.extend(f.get_db_prep_save(getattr(award, f.attname), connection) for f in fields)
    assignments = ", ".join(
        f"{quote(field.column)} = v.column{number}" for number, field in enumerate(fields, 2)
    )
    values = ", ".join([row] * len(awards))  # placeholders only; every name is ours
    where = f"{table}.{quote('id')} = v.column1 AND {table}.{quote('signed_at')} IS NULL"
    sql = f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _take_stored(pks: list[int], awards: list[Award]) -> None:
    stored = Award.objects.filter(pk__in=pks).values("pk", "signed_at", *SIGNED_FIELDS)
    by_pk = {row.pop("pk"): row for row in stored}
    for award in awards:
        for field, value in by_pk.get(award.pk, {}).items():
            setattr(award, field, value)
