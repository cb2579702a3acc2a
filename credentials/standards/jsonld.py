"""Offline JSON-LD processing: contexts served from disk, processed once per process.

Every context a credential may reference is shipped in ``contexts/`` (see its
README for provenance) and listed in ``contexts/index.json``.  Any other URL is
refused with :class:`UnknownContextError` -- nothing is ever fetched.

Performance: with pyld, processing the contexts costs far more than the
canonicalisation of a credential itself.  Each :class:`ContextStore` owns a
pyld resolved-context cache that lives as long as the store (the module-level
default store lives for the whole process), so a context document is loaded
and processed once, and later operations reuse the processed active contexts.  pyld misses its own
cache for scoped contexts (OB 3.0 defines one per type: Achievement, Profile,
Evidence…): every non-propagating clone gets a fresh id, so each typed node of
each document had its scoped context processed again.  :class:`_Processor`
memoises scoped-context processing per store, which makes a credential's
expansion about three times faster (``bench/issue.py``).
A store deliberately does not share pyld's global cache, so a URL that some
other code in the process loaded can never slip past the allow-list.

Safe mode: Data Integrity requires that canonicalisation does not silently
drop data.  By default :meth:`ContextStore.expand` and
:meth:`ContextStore.canonicalize` raise :class:`JsonLdSafeModeError` when a
property does not map to an absolute IRI, or an ``@id`` / ``@type`` value is
not an absolute IRI or blank node.  Without this, a term undefined by the
contexts could be changed after signing without breaking the signature.  Safe
mode also refuses string values with control characters other than tab, LF
and CR, which pyld does not escape the way RDFC-1.0 requires, and anything else
pyld would write raw into the N-Quads or hash differently from other
implementations: language tags that are not BCP 47-shaped, IRIs ending in a
newline, lone surrogates, ``xsd:double`` strings not in canonical form.  A
document nested too deeply for pyld is a :class:`JsonLdSafeModeError` too.
``@import`` is refused in every mode (it would rewrite a cached shipped context).
"""

from __future__ import annotations

import copy
import json
import math
import re
import threading
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver

from credentials.standards.canonical import FastCanonicalizer, Unsupported, canonical_nquads

__all__ = [
    "CONTEXTS_DIR",
    "ContextStore",
    "JsonLdError",
    "JsonLdSafeModeError",
    "LANGUAGE_TAG",
    "UNPORTABLE_CONTROL",
    "UnknownContextError",
    "canonicalize",
    "default_store",
    "document_loader",
    "expand",
]

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

# RFC 3986 scheme followed by ":" -- what JSON-LD calls an absolute IRI.
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
# What pyld keeps when it writes RDF (its _is_absolute_iri): no white space anywhere. A node
# whose @id fails this loses every triple silently, so it could be added after signing.
# (\Z, not $: "$" also matches before a final "\n", which pyld would write raw.)
_KEPT_IN_RDF = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*\Z")
# A BCP 47-shaped language tag: pyld writes the tag into N-Quads as it is, so a tag such as
# 'en .\n<s> <p> "y"' would forge lines of the canonical form.
LANGUAGE_TAG = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")
# A string in UTF-16 surrogate range (json.loads accepts lone ones; UTF-8 cannot encode them).
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
# Control characters other than \t \n \r (see _check_expanded).
UNPORTABLE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class JsonLdError(ValueError):
    """A document could not be processed as JSON-LD."""


class UnknownContextError(JsonLdError):
    """A document referenced a context URL that is not shipped with the app."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"JSON-LD context {url!r} is not available offline; only the "
            "contexts listed in credentials/standards/contexts/index.json can be used"
        )
        self.url = url


class JsonLdSafeModeError(JsonLdError):
    """Expansion would silently drop or mangle data (JSON-LD "safe mode")."""


@cache
def _shipped_index() -> dict[str, Path]:
    index = json.loads((CONTEXTS_DIR / "index.json").read_text(encoding="utf-8"))
    return {url: CONTEXTS_DIR / name for url, name in index.items()}


@cache
def _shipped_document(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


class _Processor(jsonld.JsonLdProcessor):
    """pyld's processor, with scoped-context processing memoised in its store.

    Only scoped contexts are memoised: property-scoped (``override_protected``) and
    type-scoped (``propagate=False``) ones.  Their ``local_ctx`` is the ``@context`` value of
    a term definition inside an already processed (and cached, never mutated) active
    context, and the result depends only on that object, the active context (identified by
    pyld's ``_uuid``) and the flags.  The memo keeps a reference to ``local_ctx`` so its
    ``id()`` cannot be reused while the entry lives.  The document's own top-level
    ``@context`` is not memoised here (pyld's resolver caches it by content).
    """

    def __init__(self, memo: LRUCache, on_property_dropped: Any = None) -> None:
        if on_property_dropped is None:
            super().__init__()
        else:
            super().__init__(on_property_dropped=on_property_dropped)
        self._memo = memo

    def expand(self, input_: Any, options: Any) -> Any:
        # canonicalize() hands normalize() a document it has just expanded (and checked):
        # expanding it again would only cost time.
        if options.get("cocreateExpanded") is input_:
            return input_
        return super().expand(input_, options)

    def _process_context(
        self,
        active_ctx: Any,
        local_ctx: Any,
        options: Any,
        override_protected: bool = False,
        propagate: bool = True,
        validate_scoped: bool = True,
        cycles: Any = None,
    ) -> Any:
        scoped = override_protected or not propagate
        uuid = active_ctx.get("_uuid") if scoped and cycles is None else None
        if uuid is None:
            _refuse_import(local_ctx)
            return super()._process_context(
                active_ctx, local_ctx, options, override_protected, propagate, validate_scoped,
                cycles,
            )  # fmt: skip
        key = (uuid, id(local_ctx), override_protected, propagate, validate_scoped,
               options.get("base"), options.get("processingMode"))  # fmt: skip
        hit = self._memo.get(key)
        if hit is not None and hit[0] is local_ctx:
            return hit[1]
        _refuse_import(local_ctx)
        processed = super()._process_context(
            active_ctx, local_ctx, options, override_protected, propagate, validate_scoped
        )
        self._memo[key] = (local_ctx, processed)
        return processed


def _refuse_import(local_ctx: Any) -> None:
    """Refuse ``@import`` in a context given inline (a document's, or a scoped one).

    pyld 3.3 merges the importing context *into* the imported document it got from its
    resolver (``import_ctx.update(ctx)``), and that document is the store's cached copy of a
    shipped context: one stranger's ``{"@import": V2, "name": ...}`` would redefine ``name``
    for every later document in the process, including the credentials we sign. None of the
    shipped contexts uses ``@import`` (``test_no_shipped_context_uses_import``).
    """
    stack = [local_ctx]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "@import" in item:
                raise JsonLdSafeModeError("@import in a context is not supported")
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


class CanonicalisationTooComplexError(JsonLdError):
    """The document's blank nodes would take too much work to canonicalise."""


class _BoundedURDNA2015(URDNA2015):
    """pyld's URDNA2015 with a work limit, as RDFC-1.0 §4.4 asks of implementations.

    Only blank nodes that their first-degree hash cannot tell apart reach the N-degree
    hashing, whose permutations grow factorially; honest credentials need a handful of
    calls, if any (RDFC-1.0 calls such inputs "poison graphs"). Like rdf-canonize's
    ``maxWorkFactor``, the number of N-degree hashes is capped.
    """

    MAX_N_DEGREE_CALLS = 1_000
    MAX_PERMUTATIONS = 20_000  # orderings of related blank nodes tried, in all

    def __init__(self) -> None:
        super().__init__()
        self._n_degree_calls = 0
        self._permutations = 0

    def hash_n_degree_quads(self, id_: str, issuer: Any) -> Any:
        self._n_degree_calls += 1
        if self._n_degree_calls > self.MAX_N_DEGREE_CALLS:
            raise CanonicalisationTooComplexError(
                "the document's blank nodes are too alike to canonicalise in reasonable time"
            )
        return super().hash_n_degree_quads(id_, issuer)

    def create_hash_to_related(self, id_: str, issuer: Any) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = super().create_hash_to_related(id_, issuer)
        for nodes in groups.values():  # hash_n_degree_quads tries every ordering of each
            self._permutations += math.factorial(min(len(nodes), 12))
        if self._permutations > self.MAX_PERMUTATIONS:
            raise CanonicalisationTooComplexError(
                "the document has too many indistinguishable blank nodes to canonicalise"
            )
        return groups


class ContextStore:
    """An allow-list of JSON-LD context documents plus their processed cache.

    ``extra`` adds (or overrides) documents by URL, e.g. a test vector's
    example context.  Most code should use the module-level functions, which
    use :data:`default_store`.
    """

    def __init__(
        self, extra: Mapping[str, Mapping[str, Any]] | None = None, *, fast: bool = True
    ) -> None:
        self._extra = {url: copy.deepcopy(dict(doc)) for url, doc in (extra or {}).items()}
        # pyld keeps resolved contexts (and, inside each, the processed active
        # contexts) here; it outlives single operations.
        self._resolved_cache: LRUCache[str, Any] = LRUCache(maxsize=100)
        # Scoped contexts processed relative to an active context (see _Processor).
        self._scoped_memo: LRUCache[tuple, tuple] = LRUCache(maxsize=4096)
        # cachetools caches are not thread-safe; pyld work is CPU-bound under
        # the GIL anyway, so one lock per store costs next to nothing.
        self._lock = threading.RLock()
        # The fast path to canonical N-Quads (credentials.standards.canonical); pyld's own
        # path runs whenever it cannot vouch for a document. ``fast=False``: pyld only.
        self._fast = (
            FastCanonicalizer(_Processor(self._scoped_memo), self._options(base=None))
            if fast
            else None
        )

    @property
    def urls(self) -> frozenset[str]:
        """Every context URL this store will serve."""
        return frozenset(_shipped_index()) | frozenset(self._extra)

    def get_context(self, url: str) -> dict[str, Any]:
        """Return a copy of the context document published at ``url``."""
        if url in self._extra:
            return copy.deepcopy(self._extra[url])
        path = _shipped_index().get(url)
        if path is None:
            raise UnknownContextError(url)
        return copy.deepcopy(_shipped_document(path))

    def load_document(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """A pyld document loader: serve ``url`` from disk or refuse it.

        ``tag: static`` tells pyld the document never changes, so the resolved
        (and processed) context is kept in the store's cache under its URL.
        """
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": self.get_context(url),
            "tag": "static",
        }

    def _options(self, **extra: Any) -> dict[str, Any]:
        return {
            "documentLoader": self.load_document,
            "contextResolver": ContextResolver(self._resolved_cache, self.load_document),
            **extra,
        }

    def expand(self, document: Mapping[str, Any], *, safe: bool = True) -> list[Any]:
        """Expand ``document``; in safe mode, refuse anything that would be lost."""
        dropped: list[str | None] = []
        processor = _Processor(self._scoped_memo, on_property_dropped=dropped.append)
        try:
            # base None: relative IRIs stay relative (and are refused below)
            # instead of being resolved against pyld's dummy example.org base.
            with self._lock:
                expanded: list[Any] = processor.expand(dict(document), self._options(base=None))
        except jsonld.JsonLdError as exc:
            raise _translate(exc) from exc
        except RecursionError as exc:
            raise JsonLdSafeModeError("the document is nested too deeply") from exc
        except UnicodeEncodeError as exc:
            raise JsonLdSafeModeError("the document contains a lone UTF-16 surrogate") from exc
        if safe:
            if dropped:
                names = ", ".join(sorted({str(name) for name in dropped}))
                raise JsonLdSafeModeError(f"terms not defined by the @context: {names}")
            try:
                _check_expanded(expanded)
            except RecursionError as exc:
                raise JsonLdSafeModeError("the document is nested too deeply") from exc
        return expanded

    def canonicalize(self, document: Mapping[str, Any], *, safe: bool = True) -> str:
        """RDF Dataset Canonicalization (RDFC-1.0 / URDNA2015) as N-Quads.

        The canonicalisation itself runs outside the store's lock and under a work limit
        (:class:`_BoundedURDNA2015`): a stranger's credential built as a "poison graph" of
        look-alike blank nodes is refused in milliseconds instead of holding the process.

        In safe mode the fast path (:mod:`credentials.standards.canonical`) answers first: the
        same N-Quads as pyld's, for the JSON-LD our credentials use; for anything else
        (including every document safe mode refuses) it steps aside and pyld runs.
        """
        if safe and self._fast is not None:
            try:
                return self.fast_canonicalize(document)
            except Unsupported:
                pass
        expanded = self.expand(document, safe=safe)
        try:
            with self._lock:  # the memo of processed contexts is not thread-safe
                dataset = _Processor(self._scoped_memo).to_rdf(
                    expanded,
                    self._options(produceGeneralizedRdf=False, cocreateExpanded=expanded),
                )
        except jsonld.JsonLdError as exc:
            raise _translate(exc) from exc
        except RecursionError as exc:
            raise JsonLdSafeModeError("the document is nested too deeply") from exc
        try:
            nquads: str = _BoundedURDNA2015().main(dataset, {"format": "application/n-quads"})
        except UnicodeEncodeError as exc:  # a lone surrogate in an IRI
            raise JsonLdSafeModeError("the document contains a lone UTF-16 surrogate") from exc
        if not nquads.isascii() and _SURROGATE.search(nquads):  # (UTF-8 cannot hash it)
            raise JsonLdSafeModeError("the document contains a lone UTF-16 surrogate")
        return nquads

    def fast_canonicalize(self, document: Mapping[str, Any]) -> str:
        """The fast path alone: pyld's canonical N-Quads, or :class:`Unsupported`."""
        if self._fast is None:
            raise Unsupported
        with self._lock:  # the processed-context caches are not thread-safe
            quads = self._fast.quads(document)
        try:
            nquads = canonical_nquads(quads)
        except UnicodeEncodeError:  # a lone surrogate: pyld's path says why
            raise Unsupported from None
        if not nquads.isascii() and _SURROGATE.search(nquads):
            raise Unsupported
        return nquads

    def warm_up(self, context: list[str | dict[str, Any]] | str | None = None) -> None:
        """Process ``context`` (default: every shipped context) so later calls are fast.

        Processed contexts are cached per *combination* (a context is processed
        relative to the one before it), so pass the exact ``@context`` array
        your credentials use to warm that path.
        """
        contexts: list[Any] = [[url] for url in sorted(self.urls)] if context is None else [context]
        for ctx in contexts:
            self.expand({"@context": ctx, "@id": "urn:warm-up"}, safe=False)


def _translate(exc: jsonld.JsonLdError) -> JsonLdError:
    """Surface our own error from pyld's chain of wrapped causes."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, JsonLdError):
            return cause
        cause = cause.__cause__ or getattr(cause, "cause", None)
    return JsonLdError(f"JSON-LD processing failed: {exc}")


def _is_iri_or_blank(value: object) -> bool:
    return (
        isinstance(value, str)
        and (value.startswith("_:") or bool(_ABSOLUTE_IRI.match(value)))
        and bool(_KEPT_IN_RDF.match(value))
    )


def _check_expanded(node: Any) -> None:
    """Refuse what RDF conversion would drop or pyld would serialise wrongly.

    * relative ``@id`` / ``@type`` values are dropped by RDF conversion, and so are those
      with white space in them (pyld's ``_is_absolute_iri``): a node added after signing
      with ``"id": "https://x.example/ y"`` would not change the canonical form;
    * pyld's N-Quads writer escapes only ``\\ " \t \n \r``, while RDFC-1.0
      also escapes the other control characters, so a literal containing one
      would hash differently from other implementations.
    """
    if isinstance(node, list):
        for item in node:
            _check_expanded(item)
        return
    if not isinstance(node, dict):
        return
    if "@value" in node:
        _check_value(node)
        return
    if "@id" in node and not _is_iri_or_blank(node["@id"]):
        raise JsonLdSafeModeError(f"@id {node['@id']!r} is not an absolute IRI")
    for type_iri in node.get("@type", []):
        if not _is_iri_or_blank(type_iri):
            raise JsonLdSafeModeError(f"@type {type_iri!r} is not an absolute IRI")
    for key, value in node.items():
        if key in ("@id", "@type"):
            continue
        if not key.startswith("@") and not _is_iri_or_blank(key):
            raise JsonLdSafeModeError(f"property {key!r} is not an absolute IRI")
        _check_expanded(value)


def _check_value(node: dict[str, Any]) -> None:
    """A value object: its string, language tag and datatype as RDFC-1.0 can write them."""
    value = node["@value"]
    datatype = node.get("@type")
    if isinstance(value, str):
        if UNPORTABLE_CONTROL.search(value):
            raise JsonLdSafeModeError(
                "a string value contains a control character that cannot be "
                "canonicalized portably (RDFC-1.0 escaping)"
            )
        if _SURROGATE.search(value):
            raise JsonLdSafeModeError("a string value contains a lone UTF-16 surrogate")
        if datatype == _XSD_DOUBLE and not _is_canonical_double(value):
            # pyld reads it with float(): "1_0", " 1", "NaN"... would all sign as one value
            raise JsonLdSafeModeError(f"{value!r} is not an xsd:double in canonical form")
    elif datatype == "@json":
        _check_json(value)
    language = node.get("@language")
    if language is not None and not (
        isinstance(language, str) and LANGUAGE_TAG.fullmatch(language)
    ):
        raise JsonLdSafeModeError(f"language tag {language!r} is not BCP 47-shaped")
    if isinstance(datatype, str) and datatype != "@json" and not _is_iri_or_blank(datatype):
        raise JsonLdSafeModeError(f"datatype {datatype!r} is not an absolute IRI")


def _is_canonical_double(value: str) -> bool:
    try:
        number = float(value)
    except ValueError:
        return False
    return math.isfinite(number) and jsonld._canonicalize_double(number) == value


def _check_json(value: Any) -> None:
    """Every string (keys too) of a ``@json`` value, as for other strings."""
    if isinstance(value, str):
        if UNPORTABLE_CONTROL.search(value) or _SURROGATE.search(value):
            raise JsonLdSafeModeError(
                "a @json value contains a control character or lone surrogate that cannot be "
                "canonicalized portably"
            )
    elif isinstance(value, list):
        for item in value:
            _check_json(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_json(key)
            _check_json(item)


default_store = ContextStore()


def document_loader(url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """pyld document loader over the shipped contexts (for use with pyld directly)."""
    return default_store.load_document(url, options)


def expand(document: Mapping[str, Any], *, safe: bool = True) -> list[Any]:
    """Expand with the shipped contexts (see :meth:`ContextStore.expand`)."""
    return default_store.expand(document, safe=safe)


def canonicalize(document: Mapping[str, Any], *, safe: bool = True) -> str:
    """Canonical N-Quads with the shipped contexts (see :meth:`ContextStore.canonicalize`)."""
    return default_store.canonicalize(document, safe=safe)
