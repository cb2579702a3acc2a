"""The issuer's keys: only what the issuer itself publishes counts.

A verification method or JOSE ``kid`` / ``jwk`` is accepted only when the issuer's own document
lists that key (OB 3.0 §9.1, VC Data Integrity §4.2): a ``did:key`` issuer is its own key; a
``did:web`` or https issuer's fetched DID document or Profile must list the method under
``assertionMethod`` (or, for JOSE, in its own ``jwks``), and the method's ``controller`` must be
the issuer. An embedded ``jwk`` proves nothing by itself. (OB 2.0 signed assertions name their
key document by address: :mod:`credentials.verify.ob2` reads it with :func:`key_from_method`.)
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from credentials.standards import keys
from credentials.verify.documents import Documents
from credentials.verify.reading import URL_RE, as_list
from credentials.verify.records import Records
from credentials.verify.results import Stop, _

__all__ = ["IssuerKeys", "KeyProblem", "key_detail", "key_from_method", "same_key"]


class KeyProblem(Exception):
    """The key is not the issuer's, or the issuer's keys could not be read."""

    def __init__(self, verdict: str, problem: str, message: str) -> None:
        super().__init__(message)
        self.verdict = verdict
        self.problem = problem


def same_key(a: Any, b: Any) -> bool:
    if isinstance(a, ed25519.Ed25519PublicKey) and isinstance(b, ed25519.Ed25519PublicKey):
        raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
        return a.public_bytes(*raw) == b.public_bytes(*raw)
    if isinstance(a, rsa.RSAPublicKey) and isinstance(b, rsa.RSAPublicKey):
        return a.public_numbers() == b.public_numbers()
    return False


def key_from_method(method: Mapping[str, Any]) -> keys.PublicKey | None:
    """Key material of a verification method / CryptographicKey / bare JWK, if any."""
    material = {
        k: method.get(k)
        for k in ("publicKeyMultibase", "publicKeyJwk", "publicKeyPem", "kty", "crv", "x", "n", "e")
        if method.get(k) is not None
    }
    try:
        return _parse_key(json.dumps(material, sort_keys=True))
    except (TypeError, ValueError):
        return None


@functools.lru_cache(maxsize=256)
def _parse_key(material_json: str) -> keys.PublicKey | None:
    """Parsing an RSA JWK costs about a millisecond: parse each published key once."""
    method = json.loads(material_json)
    try:
        if isinstance(method.get("publicKeyMultibase"), str):
            return keys.public_key_from_multibase(method["publicKeyMultibase"])
        if isinstance(method.get("publicKeyJwk"), Mapping):
            return keys.public_key_from_jwk(method["publicKeyJwk"])
        if isinstance(method.get("publicKeyPem"), str):
            key = serialization.load_pem_public_key(method["publicKeyPem"].encode("ascii"))
            return key if isinstance(key, rsa.RSAPublicKey | ed25519.Ed25519PublicKey) else None
        if isinstance(method.get("kty"), str):
            return keys.public_key_from_jwk(method)
    except (ValueError, TypeError, keys.KeyFormatError):
        return None
    return None


def key_detail(issuer_id: str) -> str:
    if issuer_id.startswith("did:key:"):
        return _("Signed with the key that is the issuer's own identifier (%(issuer)s).") % {
            "issuer": issuer_id
        }
    return _("Signed with a key that the issuer (%(issuer)s) lists as its own.") % {
        "issuer": issuer_id
    }


def _absolute(reference: str, base: str) -> str:
    return base + reference if reference.startswith("#") else reference


class IssuerKeys:
    """The keys of the issuers one verification meets, read from what each publishes.

    ``error`` holds why the last key was refused (None when none was), for the check that
    tells the employer.
    """

    def __init__(self, documents: Documents, records: Records, *, allow_private: bool) -> None:
        self.documents = documents
        self.records = records
        self.allow_private = allow_private  # a did:web on localhost is read over http (tests)
        self.error: KeyProblem | None = None
        self._key_sets: dict[str, dict[str, keys.PublicKey]] = {}

    def issuer_keys(self, issuer_id: str) -> dict[str, keys.PublicKey]:
        """The keys the issuer authorises to sign credentials, by verification method id.

        Only what the issuer itself publishes counts (OB 3.0 §9.1, VC Data Integrity §4.2):
        a ``did:key`` issuer is its own key; a ``did:web`` or https issuer's fetched DID
        document or Profile must list the method under ``assertionMethod`` (or, for JOSE,
        in its own ``jwks``), and the method's ``controller`` must be the issuer.
        """
        if issuer_id in self._key_sets:
            return self._key_sets[issuer_id]
        found: dict[str, keys.PublicKey] = {}
        if issuer_id.startswith("did:key:"):
            try:
                key = keys.public_key_from_did_key(issuer_id)
            except keys.KeyFormatError as exc:
                raise KeyProblem("tampered", "key_not_issuers", str(exc)) from exc
            multibase = issuer_id[len("did:key:") :]
            found = {issuer_id: key, f"{issuer_id}#{multibase}": key}
        elif issuer_id.startswith("did:web:"):
            document = self._did_web_document(issuer_id)
            found = self._authorised_keys(document, issuer_id)
        elif (ours := self.records.published_profile(issuer_id)) is not None:
            self.documents.published[issuer_id] = ours
            found = self._authorised_keys(ours, issuer_id)
        elif URL_RE.match(issuer_id):
            try:
                _status, document = self.documents.get_json(issuer_id, _("issuer profile"))
            except Stop as stop:
                raise KeyProblem(
                    "unknown_issuer", stop.problem or "unreachable", stop.message
                ) from stop
            if not isinstance(document, dict):
                raise KeyProblem(
                    "unknown_issuer", "unreachable", _("The issuer profile is not JSON.")
                )
            if document.get("id") != issuer_id:
                raise KeyProblem(
                    "unknown_issuer",
                    "unreachable",
                    _("The issuer's address does not serve a profile with that id."),
                )
            found = self._authorised_keys(document, issuer_id)
        else:
            raise KeyProblem(
                "unknown_issuer",
                "unreachable",
                _("Cannot resolve issuer %(issuer_id)s.") % {"issuer_id": issuer_id},
            )
        self._key_sets[issuer_id] = found
        return found

    def _did_web_document(self, did: str) -> dict[str, Any]:
        parts = [unquote(p) for p in did[len("did:web:") :].split("#", 1)[0].split(":")]
        host, path = parts[0], parts[1:]
        local = host.split(":", 1)[0] in ("localhost", "127.0.0.1")
        scheme = "http" if local and self.allow_private else "https"
        url = f"{scheme}://{host}/" + (
            "/".join(path) + "/did.json" if path else ".well-known/did.json"
        )
        try:
            _status, document = self.documents.get_json(url, _("DID document"))
        except Stop as stop:
            raise KeyProblem(
                "unknown_issuer", stop.problem or "unreachable", stop.message
            ) from stop
        if not isinstance(document, dict) or document.get("id") != did.split("#", 1)[0]:
            raise KeyProblem(
                "unknown_issuer", "unreachable", _("The DID document names another DID.")
            )
        return document

    def _authorised_keys(
        self, document: Mapping[str, Any], controller: str
    ) -> dict[str, keys.PublicKey]:
        """Keys ``document`` (the issuer's own) lists under ``assertionMethod`` or ``jwks``."""
        embedded: dict[str, Mapping[str, Any]] = {}
        for entry in as_list(document.get("verificationMethod")):
            if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
                embedded[_absolute(entry["id"], controller)] = entry
        found: dict[str, keys.PublicKey] = {}
        for entry in as_list(document.get("assertionMethod")):
            if isinstance(entry, Mapping):
                method_id = entry.get("id")
                if not isinstance(method_id, str):
                    continue
                method_id, method = _absolute(method_id, controller), entry
            elif isinstance(entry, str):
                method_id = _absolute(entry, controller)
                method = embedded.get(method_id)
            else:
                continue
            if method is not None:
                key = key_from_method(method) if method.get("controller") == controller else None
            elif method_id.startswith("did:key:"):
                try:  # the issuer names a did:key as its own assertion method
                    key = keys.public_key_from_did_key(method_id)
                except keys.KeyFormatError:
                    key = None
            elif URL_RE.match(method_id):
                key = self._fetch_method(method_id, controller)
            else:
                key = None
            if key is not None:
                found[method_id] = key
        # JOSE keys the profile itself carries (a JWK Set): inline, so the issuer's own.
        jwks = document.get("jwks")
        for jwk in as_list(jwks.get("keys") if isinstance(jwks, Mapping) else None):
            if isinstance(jwk, Mapping) and isinstance(jwk.get("kid"), str):
                key = key_from_method({k: v for k, v in jwk.items() if k != "kid"})
                if key is not None:
                    found.setdefault(jwk["kid"], key)
        return found

    def _fetch_method(self, url: str, controller: str) -> keys.PublicKey | None:
        """A key document the issuer lists by address: it must name itself and the issuer."""
        try:
            _status, method = self.documents.get_json(url.split("#", 1)[0], _("public key"))
        except Stop:
            return None
        if not isinstance(method, Mapping):
            return None
        if method.get("id") != url:  # a fragment inside a bigger document
            entries = as_list(method.get("verificationMethod"))
            base = str(method.get("id") or "")
            method = next(
                (
                    entry
                    for entry in entries
                    if isinstance(entry, Mapping)
                    and isinstance(entry.get("id"), str)
                    and _absolute(entry["id"], base) == url
                ),
                None,
            )
            if method is None:
                return None
        if method.get("controller") != controller:
            return None
        return key_from_method(method)

    def resolve(self, method: str, issuer_id: str) -> keys.PublicKey:
        """The key named by ``method``, only if the issuer authorises it."""
        try:
            listed = self.issuer_keys(issuer_id)
        except KeyProblem as error:
            self.error = error
            raise
        if method in listed:
            return listed[method]
        if method.startswith("did:key:"):
            try:
                key = keys.public_key_from_did_key(method)
            except keys.KeyFormatError as exc:
                self.error = KeyProblem("tampered", "key_not_issuers", str(exc))
                raise self.error from exc
            if any(same_key(key, other) for other in listed.values()):
                return key
        self.error = KeyProblem(
            "tampered",
            "key_not_issuers",
            _("The key %(method)s is not one the issuer lists as its own for signing credentials.")
            % {"method": method},
        )
        raise self.error

    def jose(self, header: Mapping[str, Any], issuer_id: str) -> keys.PublicKey:
        """The key of a JOSE header (its ``kid``, else its ``jwk``), only if the issuer's."""
        kid = header.get("kid")
        if isinstance(kid, str) and kid:
            key = self.resolve(kid, issuer_id)
            if isinstance(header.get("jwk"), Mapping):
                embedded = keys.public_key_from_jwk(header["jwk"])
                if not same_key(embedded, key):
                    self.error = KeyProblem(
                        "tampered", "key_not_issuers", _("The embedded key does not match the kid.")
                    )
                    raise self.error
            return key
        try:
            embedded = keys.public_key_from_jwk(header.get("jwk") or {})
        except keys.KeyFormatError as exc:
            self.error = KeyProblem("tampered", "key_not_issuers", str(exc))
            raise self.error from exc
        try:
            listed = self.issuer_keys(issuer_id)
        except KeyProblem as error:
            self.error = error
            raise
        if any(same_key(embedded, other) for other in listed.values()):
            return embedded
        self.error = KeyProblem(
            "tampered",
            "key_not_issuers",
            _("The token's embedded key is not one the issuer publishes."),
        )
        raise self.error
