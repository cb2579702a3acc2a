"""1EdTech Comprehensive Learner Record 2.0: the shapes of a ``ClrCredential``, and reading one.

A ``ClrCredential`` (CLR 2.0 §B.1) is a Verifiable Credential (VC Data Model 2.0) whose
``credentialSubject`` is a ``ClrSubject``: the learner (hashed identifiers, as the embedded
credentials name them), the signed achievement credentials embedded as they were issued
(``verifiableCredential``), the achievements they and the record speak of (``achievement``),
and the associations between those achievements (``association``: ``isPartOf`` for a course
badge that counts toward a programme badge). Its ``@context`` starts with the VC 2.0, CLR
2.0.1 and OB 3.0.3 contexts, in that order (the spec's rule; OB 3.0.3 is the context our Open
Badges 3.0 credentials use).

Pure: no Django, nothing of ours outside ``standards``. :mod:`credentials.issuing.clr` builds
and signs records; :mod:`credentials.verify.clr` reads them with :func:`problems`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
CLR_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/clr/v2p0/context"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CREDENTIAL_TYPE = "ClrCredential"
SUBJECT_TYPE = "ClrSubject"
ASSOCIATION_TYPE = "Association"
IS_PART_OF = "isPartOf"
CONTENT_TYPE = "application/vc+ld+json"
# CLR 2.0 §B.2.1 AssociationType: the values an association may take.
ASSOCIATION_TYPES = frozenset(
    {
        "exactMatchOf",
        "isChildOf",
        "isParentOf",
        "isPartOf",
        "isPeerOf",
        "isRelatedTo",
        "precedes",
        "replacedBy",
    }
)
# What a verifier reads at most: embedded credentials in one record.
MAX_EMBEDDED = 200


def context(*extra: str) -> list[str]:
    """The record's ``@context``: VC 2.0, CLR 2.0.1, OB 3.0.3 (in the spec's order), then
    ``extra`` (the contexts the embedded credentials use beyond those)."""
    base = [VC_CONTEXT, CLR_CONTEXT, OB3_CONTEXT]
    return base + [c for c in dict.fromkeys(extra) if c not in base]


def association(source_id: str, target_id: str, kind: str = IS_PART_OF) -> dict[str, Any]:
    """One ``Association``: the achievement ``source_id`` ``kind`` the achievement ``target_id``."""
    if kind not in ASSOCIATION_TYPES:
        raise ValueError(f"unknown association type {kind!r}")
    return {
        "type": ASSOCIATION_TYPE,
        "associationType": kind,
        "sourceId": source_id,
        "targetId": target_id,
    }


def record(
    *,
    credential_id: str,
    name: str,
    issuer: Mapping[str, Any],
    valid_from: str,
    identifiers: Sequence[Mapping[str, Any]],
    credentials: Sequence[Mapping[str, Any]],
    achievements: Sequence[Mapping[str, Any]] = (),
    associations: Sequence[Mapping[str, Any]] = (),
    extra_contexts: Sequence[str] = (),
    description: str = "",
) -> dict[str, Any]:
    """The unsigned ``ClrCredential``. ``credentials`` are embedded exactly as given (signed
    documents: never changed, or their proofs break); empty lists are left out."""
    if not credentials:
        raise ValueError("a ClrCredential embeds at least one credential")
    subject: dict[str, Any] = {"type": [SUBJECT_TYPE]}
    if identifiers:
        subject["identifier"] = [dict(i) for i in identifiers]
    if achievements:
        subject["achievement"] = [dict(a) for a in achievements]
    subject["verifiableCredential"] = list(credentials)
    if associations:
        subject["association"] = [dict(a) for a in associations]
    document: dict[str, Any] = {
        "@context": context(*extra_contexts),
        "id": credential_id,
        "type": ["VerifiableCredential", CREDENTIAL_TYPE],
        "name": name,
    }
    if description:
        document["description"] = description
    document.update(
        {
            "issuer": dict(issuer),
            "validFrom": valid_from,
            "awardedDate": valid_from,
            "credentialSubject": subject,
        }
    )
    return document


# --- reading -------------------------------------------------------------------------------


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _types(node: Any) -> list[str]:
    if not isinstance(node, Mapping):
        return []
    return [t for t in _list(node.get("type", node.get("@type"))) if isinstance(t, str)]


def _contexts(document: Mapping[str, Any]) -> list[str]:
    return [c for c in _list(document.get("@context")) if isinstance(c, str)]


def is_clr(document: Any) -> bool:
    """Whether ``document`` presents itself as a ``ClrCredential`` (a VC of that type)."""
    if not isinstance(document, Mapping):
        return False
    found = _contexts(document)
    return (VC_CONTEXT in found or VC1_CONTEXT in found) and CREDENTIAL_TYPE in _types(document)


def subject(document: Mapping[str, Any]) -> Mapping[str, Any]:
    found = document.get("credentialSubject")
    return found if isinstance(found, Mapping) else {}


def embedded(document: Mapping[str, Any]) -> list[Any]:
    """The embedded credentials, as they are (objects or anything else a stranger put there)."""
    return _list(subject(document).get("verifiableCredential"))


def _id(node: Any) -> str | None:
    if isinstance(node, str):
        return node
    if isinstance(node, Mapping):
        found = node.get("id", node.get("@id"))
        return found if isinstance(found, str) else None
    return None


def achievement_ids(document: Mapping[str, Any]) -> set[str]:
    """The ids of every achievement the record holds: its ``achievement`` list and the
    achievements of its embedded credentials."""
    found = {_id(a) for a in _list(subject(document).get("achievement"))}
    for credential in embedded(document):
        if isinstance(credential, Mapping):
            inner = credential.get("credentialSubject")
            if isinstance(inner, Mapping):
                found.add(_id(inner.get("achievement")))
    return {i for i in found if i}


def associations(document: Mapping[str, Any]) -> list[Any]:
    return _list(subject(document).get("association"))


def problems(document: Mapping[str, Any]) -> list[str]:
    """What makes ``document`` not a well-formed ``ClrCredential`` (empty: none), in the
    words of the data model (field paths), for a verifier to report."""
    missing: list[str] = []
    found = _contexts(document)
    if not found or found[0] not in (VC_CONTEXT, VC1_CONTEXT):
        missing.append("the VC @context first")
    if not any(c.startswith(CLR_CONTEXT_PREFIX) for c in found):
        missing.append("the CLR 2.0 @context")
    if "VerifiableCredential" not in _types(document):
        missing.append("type VerifiableCredential")
    if not _id(document.get("issuer")):
        missing.append("issuer.id")
    if not (document.get("validFrom") or document.get("issuanceDate")):
        missing.append("validFrom")
    if not isinstance(document.get("name"), str) or not document.get("name"):
        missing.append("name")
    the_subject = subject(document)
    if SUBJECT_TYPE not in _types(the_subject):
        missing.append("credentialSubject.type ClrSubject")
    credentials = embedded(document)
    if not credentials:
        missing.append("credentialSubject.verifiableCredential")
    elif len(credentials) > MAX_EMBEDDED:
        missing.append(f"at most {MAX_EMBEDDED} embedded credentials")
    known = achievement_ids(document)
    for n, item in enumerate(associations(document)):
        where = f"credentialSubject.association[{n}]"
        if not isinstance(item, Mapping) or ASSOCIATION_TYPE not in _types(item):
            missing.append(f"{where}.type Association")
            continue
        if item.get("associationType") not in ASSOCIATION_TYPES:
            missing.append(f"{where}.associationType")
        for end in ("sourceId", "targetId"):
            value = item.get(end)
            if not isinstance(value, str) or value not in known:
                missing.append(f"{where}.{end} (an achievement of the record)")
    return missing
