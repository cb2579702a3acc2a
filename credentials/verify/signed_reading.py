"""Whether the JSON the verifier reads says what a Data Integrity proof signed.

An ``eddsa-rdfc-2022`` proof signs the credential's RDF (its canonical N-Quads), not its JSON,
while the verifier reads JSON keys (``validUntil``, ``credentialStatus``, ``issuer`` ...).
Many JSON documents give the same RDF: a property under its full IRI
(``"https://www.w3.org/2018/credentials#validUntil"``), a value object
(``{"@value": ...}``), a value repeated in an array, a property on another copy of the same
node, a term aliased by an inline ``@context``. Rewritten so, a signed credential still
verifies while the verifier no longer sees its expiry or its revocation entry.

So a credential whose proof verifies must also be written the one plain way the verifier
reads: :func:`problem` names the first thing that is not, and the verifier refuses the
credential as tampered. The rules (only JSON shapes that credentials are issued in pass):

* keys are terms: no keyword keys but ``@context`` (``id`` and ``type`` are the aliases the
  shipped contexts define), no absolute or compact IRIs (no shipped term has a colon);
* ``@context``: shipped context URLs; at the top level also an inline object of plain terms
  each naming an IRI that ends in the term itself (as our legacy EU terms do), so that no
  inline term can alias another property;
* no nested arrays and no value twice in one array (RDF keeps each statement once);
* the dates are strings, ``hashed`` a boolean, and the single-valued keys the verifier
  decides on are not arrays;
* a credential (or a status entry) is written once: another object with its ``id`` may not
  carry what the verifier reads of it.

Values of ``@json`` terms are JSON literals, signed as they are, and are not looked into.
VC-JWT credentials do not need this: the JWS signs the JSON bytes themselves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["problem"]

# Terms the shipped contexts type @json: their values are JSON literals, signed verbatim.
JSON_LITERAL_TERMS = frozenset({"jwk", "jsonSchema", "_sd"})
# Read as dates: a string, never a list, number or object.
DATE_KEYS = frozenset(
    {"validFrom", "validUntil", "issuanceDate", "expirationDate", "created", "expires"}
)
# Typed xsd:boolean, read as a JSON boolean: "false" would give the same RDF, but read true.
BOOLEAN_KEYS = frozenset({"hashed"})
# Read as one value: never an array.
SINGLE_KEYS = frozenset(
    {
        "id",
        "issuer",
        "verificationMethod",
        "proofPurpose",
        "cryptosuite",
        "proofValue",
        "statusListCredential",
        "statusListIndex",
        "statusSize",
        "encodedList",
    }
)
# What the verifier reads of a credential: only on the credential's own object.
CREDENTIAL_KEYS = DATE_KEYS - {"created", "expires"} | {
    "issuer",
    "credentialSubject",
    "credentialStatus",
    "proof",
}
_TERM = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_HTTP_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def problem(document: Mapping[str, Any]) -> str | None:
    """Why ``document``'s JSON may be read other than as signed, or None when it may not."""
    reason = _context_problem(document.get("@context"), top=True)
    if reason:
        return reason
    for path, node in _objects(document, "credential"):
        reason = _object_problem(path, node)
        if reason:
            return reason
    return _copies_problem(document)


def _context_problem(context: Any, *, top: bool) -> str | None:
    for item in context if isinstance(context, list) else [context]:
        if isinstance(item, str):
            continue
        if not top or not isinstance(item, Mapping):
            return "it carries an inline @context the verifier does not accept here"
        for term, iri in item.items():
            if not isinstance(term, str) or not _TERM.match(term):
                return f"its inline @context defines {term!r}, which is not a plain term"
            if not (
                isinstance(iri, str)
                and _HTTP_IRI.match(iri)
                and (iri.endswith("#" + term) or iri.endswith("/" + term))
            ):
                return f"its inline @context maps {term!r} to another property's address"
    return None


def _objects(value: Any, path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every JSON object in ``value`` with its path, outside @context and @json values."""
    if isinstance(value, list):
        for item in value:
            yield from _objects(item, path)
    elif isinstance(value, Mapping):
        yield path, value
        for key, item in value.items():
            if key == "@context" or key in JSON_LITERAL_TERMS:
                continue
            yield from _objects(item, f"{path}.{key}")


def _same(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _object_problem(path: str, node: Mapping[str, Any]) -> str | None:
    for key, value in node.items():
        where = f"{path}.{key}"
        if not isinstance(key, str) or not key:
            return f"{path} has an empty key"
        if key == "@context":
            if path != "credential":
                reason = _context_problem(value, top=False)
                if reason:
                    return f"{path} {reason.removeprefix('it ')}"
            continue
        if key.startswith("@"):
            return f"{where} is a JSON-LD keyword, not a property the verifier reads"
        if ":" in key:
            return f"{path} names a property by its full address ({key!r}), not by its term"
        if key in JSON_LITERAL_TERMS:
            continue
        if key in DATE_KEYS and value is not None and not isinstance(value, str):
            return f"{where} is not written as a date"
        if key in BOOLEAN_KEYS and value is not None and not isinstance(value, bool):
            return f"{where} is not written as true or false"
        if key in SINGLE_KEYS and isinstance(value, list):
            return f"{where} is a list, where one value belongs"
        if isinstance(value, list):
            seen: set[str] = set()
            for item in value:
                if isinstance(item, list):
                    return f"{where} nests a list in a list"
                same = _same(item)
                if same in seen:
                    return f"{where} repeats a value"
                seen.add(same)
    return None


def _copies_problem(document: Mapping[str, Any]) -> str | None:
    """A credential or status entry split over several objects with the same ``id``."""
    credentials: dict[str, Mapping[str, Any]] = {}
    entries: dict[str, Mapping[str, Any]] = {}
    nodes: list[tuple[str, Mapping[str, Any]]] = []
    for path, node in _objects(document, "credential"):
        nodes.append((path, node))
        node_id = node.get("id")
        if not isinstance(node_id, str):
            continue
        if node is document or "credentialSubject" in node or "proof" in node:
            credentials.setdefault(node_id, node)
    for _path, node in nodes:
        status = node.get("credentialStatus")
        for entry in status if isinstance(status, list) else [status]:
            if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
                entries.setdefault(entry["id"], entry)
    for path, node in nodes:
        node_id = node.get("id")
        if not isinstance(node_id, str):
            continue
        owner = credentials.get(node_id)
        if owner is not None and owner is not node and CREDENTIAL_KEYS & set(node):
            return f"{path} repeats the credential {node_id!r} with parts of it"
        entry = entries.get(node_id)
        if entry is not None and entry is not node and set(node) - {"id"}:
            return f"{path} repeats the status entry {node_id!r} with parts of it"
    return None
