"""A fast path to canonical N-Quads (RDFC-1.0) for the JSON-LD our credentials use.

pyld turns a credential into canonical N-Quads in four generic passes: it deep-copies and
expands the document, flattens it into a node map, converts that to an RDF dataset of dicts
and runs URDNA2015 over it. This module does the same work in one walk over the compact
document, straight to quads, and then canonicalises them when RDFC-1.0 needs no more than its
first step: every blank node has its own first-degree hash (so no N-degree hashing).

It is a *subset* of pyld, never a reinterpretation: the contexts are processed by pyld itself
(the store's processor and caches), terms are expanded by pyld's ``_expand_iri``, and each
step below mirrors the pyld method named in its docstring. Whatever the subset does not cover
raises :class:`Unsupported`, and :meth:`ContextStore.canonicalize` then runs the whole pyld
path (which also raises the safe-mode errors). The subset covers node objects with ``@id``,
``@type`` and properties (strings, numbers, booleans, nested nodes, arrays), type- and
property-scoped contexts, embedded ``@context``, ``@set``, ``@list`` and ``@graph``
containers and ``@json`` terms. It refuses, among others: explicit value, list or set objects,
``@reverse``, ``@nest``, ``@included``, ``@index``/``@language``/``@id``/``@type`` maps,
``@direction``, blank-node identifiers written in the document, any term or IRI pyld would
drop, any control character safe mode refuses, any output line that would repeat, and any
two blank nodes with the same first-degree hash (pyld's URDNA2015 handles those).

``tests/credentials/standards/test_canonical.py`` compares this path with pyld's on our
credentials and on generated documents.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

from pyld import jsonld
from pyld.jsonld import (
    KEYWORDS,
    RDF_FIRST,
    RDF_JSON_LITERAL,
    RDF_LANGSTRING,
    RDF_NIL,
    RDF_REST,
    RDF_TYPE,
    XSD_BOOLEAN,
    XSD_DOUBLE,
    XSD_INTEGER,
    XSD_STRING,
    _canonicalize_double,
)
from pyld.nquads import escape

__all__ = ["FastCanonicalizer", "Unsupported"]

_KEYWORDS = frozenset(KEYWORDS)
_CONTAINERS = frozenset({(), ("@set",), ("@list",), ("@graph",), ("@graph", "@set")})
_TERM_CACHE_LIMIT = 2_000  # expanded names kept per active context (documents are untrusted)
_CONTROL = frozenset(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


class Unsupported(Exception):
    """The fast path cannot vouch for this document; use pyld's."""


# pyld's _is_absolute_iri, with \Z for $ (pyld also keeps, and writes raw, a final "\n").
_ABSOLUTE = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*\Z")
_LANGUAGE = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")  # BCP 47-shaped, as safe mode


def _iri(value: Any) -> str:
    """An IRI pyld keeps in RDF (its ``_is_absolute_iri``), and no blank node."""
    if not isinstance(value, str) or value.startswith("_:") or not _ABSOLUTE.match(value):
        raise Unsupported
    return value


def _text(value: str) -> str:
    if not _CONTROL.isdisjoint(value):
        raise Unsupported  # safe mode refuses it (pyld would not escape it as RDFC-1.0 does)
    if not value.isascii() and any("\ud800" <= c <= "\udfff" for c in value):
        raise Unsupported  # a lone surrogate: safe mode refuses it
    return value


def _literal(value: Any, datatype: str | None, language: str | None) -> str:
    """The N-Quads form of a value object (pyld's ``_object_to_rdf`` and ``serialize_nquad``),
    for values of exactly the types JSON gives (bool, int, float, str)."""
    kind = type(value)
    if kind is bool:
        lexical, datatype = ("true" if value else "false"), datatype or XSD_BOOLEAN
    elif kind is float or kind is int:
        if kind is float and not math.isfinite(value):
            raise Unsupported
        if kind is float and not value.is_integer():  # pyld's _is_double
            lexical, datatype = _canonicalize_double(value), datatype or XSD_DOUBLE
        elif datatype == XSD_DOUBLE:
            lexical = _canonicalize_double(float(value))
        elif abs(value) >= 1e21:
            lexical, datatype = _canonicalize_double(value), datatype or XSD_DOUBLE
        else:
            lexical, datatype = str(int(value)), datatype or XSD_INTEGER
    elif kind is str:
        if datatype == XSD_DOUBLE:
            try:
                lexical = _canonicalize_double(float(value))
            except ValueError:
                raise Unsupported from None
            if lexical != value:  # "1_0", " 1", "NaN"…: safe mode refuses them
                raise Unsupported
        else:
            lexical = _text(value)
            if language is not None:
                datatype = datatype or RDF_LANGSTRING
            else:
                datatype = datatype or XSD_STRING
    else:
        raise Unsupported
    quoted = '"' + escape(lexical) + '"'
    if datatype == RDF_LANGSTRING:
        if language and not (isinstance(language, str) and _LANGUAGE.fullmatch(language)):
            raise Unsupported  # written raw into N-Quads: safe mode refuses it
        return quoted + "@" + language if language else quoted
    if datatype == XSD_STRING:
        return quoted
    return quoted + "^^<" + _iri(datatype) + ">"


class _Walk:
    """One document's quads: ``(subject, predicate, object, graph)``.

    Subjects, objects and graphs are N-Quads terms (``<iri>``, ``_:bN`` or a literal);
    ``graph`` is ``""`` for the default graph.
    """

    def __init__(self, owner: FastCanonicalizer) -> None:
        self.owner = owner
        self.quads: list[tuple[str, str, str, str]] = []
        self.seen: dict[tuple, str] = {}
        self.blank_count = 0

    def blank(self) -> str:
        self.blank_count += 1
        return f"_:b{self.blank_count - 1}"

    def emit(self, subject: str, predicate: str, obj: str, graph: str, key: tuple | None) -> None:
        """Add a quad; ``key`` is what pyld's node map compares to drop a repeated value."""
        if key is not None:
            key = (graph, subject, predicate, *key)
            known = self.seen.get(key)
            if known is not None:
                if known != obj:  # pyld keeps the first of two "equal" values: do not guess
                    raise Unsupported
                return
            self.seen[key] = obj
        self.quads.append((subject, predicate, obj, graph))

    # -- expansion (pyld's _expand for a node object, then _expand_object) -----------------

    def node(self, ctx: Any, prop: str | None, element: dict, graph: str) -> str | None:
        """Walk a node object; return its N-Quads term (``None``: dropped at the top)."""
        o = self.owner
        scoped = o.term(ctx, prop)[1] if prop is not None else None
        type_scoped = ctx if ctx.get("previousContext") else None
        revert = True
        keys = sorted(element)
        if type_scoped is not None and len(element) <= 2 and "@context" not in element:
            for key in keys:
                expanded = o.vocab(type_scoped, key)
                if expanded == "@value":
                    raise Unsupported
                if expanded == "@id" and len(element) == 1:
                    revert = False
                    break
        if revert:
            ctx = ctx.get("previousContext", ctx)
        if scoped is not None:
            ctx = o.process(ctx, scoped, override_protected=True)
        ctx, type_ctx = o.nested(ctx, element, keys)

        node_id: str | None = None
        types: list[str] = []
        properties: list[tuple[str, str, Any]] = []
        for key in keys:
            if key == "@context":
                continue
            info = o.term(ctx, key)
            expanded = info[0]
            if expanded in _KEYWORDS:
                value = element[key]
                if expanded == "@id":
                    if node_id is not None or not isinstance(value, str):
                        raise Unsupported
                    node_id = _iri(o.iri(ctx, value))
                elif expanded == "@type":
                    if types:
                        raise Unsupported
                    values = value if isinstance(value, list) else [value]
                    if not values or not all(isinstance(v, str) for v in values):
                        raise Unsupported
                    types = [o.type_iri(type_ctx, v) for v in values]
                else:
                    raise Unsupported
            elif info[6]:
                properties.append((key, expanded, element[key]))
            else:
                raise Unsupported  # pyld drops it (and safe mode refuses it)

        top = prop is None
        if top and not types and not properties:
            return None  # pyld drops a top-level node with nothing but an @id
        subject = f"<{node_id}>" if node_id else self.blank()
        for type_iri in types:
            self.emit(subject, RDF_TYPE, f"<{type_iri}>", graph, ("@type", type_iri))
        for key, predicate, value in properties:
            self.property(ctx, subject, key, predicate, value, graph)
        return subject

    def property(
        self, ctx: Any, subject: str, key: str, predicate: str, value: Any, graph: str
    ) -> None:
        o = self.owner
        info = o.term(ctx, key)
        _expanded, scoped, container, kind, _language, _direction, _ok = info
        term_ctx = ctx if scoped is None else o.term_context(ctx, key, scoped)
        if term_ctx is not ctx and o.term(term_ctx, key)[:4] != info[:4]:
            raise Unsupported  # the scoped context redefines its own term: pyld's new reading
        if container not in _CONTAINERS:
            raise Unsupported
        mapping = term_ctx["mappings"].get(key)
        if mapping and mapping.get("reverse"):
            raise Unsupported
        if kind == "@json":
            if container or value is None:
                raise Unsupported
            if (graph, subject, predicate, "@json") in self.seen:
                raise Unsupported  # pyld compares JSON values with ==: do not guess
            self.emit(subject, predicate, _literal_json(value), graph, ("@json",))
            return
        if "@list" in container:
            items = self.values(term_ctx, key, value, graph, inside_list=True)
            if value is None:
                return
            self.emit(subject, predicate, self.rdf_list(items, graph), graph, None)
            return
        if "@graph" in container:
            for item in value if isinstance(value, list) else [value]:
                if item is None:
                    continue
                if not isinstance(item, dict):
                    raise Unsupported
                name = self.blank()
                self.node(term_ctx, key, item, name)
                self.emit(subject, predicate, name, graph, None)
            return
        for obj, compare in self.values(term_ctx, key, value, graph, inside_list=False):
            self.emit(subject, predicate, obj, graph, compare)

    def values(
        self, ctx: Any, key: str, value: Any, graph: str, inside_list: bool
    ) -> list[tuple[str, tuple | None]]:
        """The objects ``value`` gives ``key`` (pyld's ``_expand`` and ``_expand_value``)."""
        if value is None:
            return []
        if isinstance(value, list):
            out: list[tuple[str, tuple | None]] = []
            for item in value:
                if inside_list and isinstance(item, list):
                    raise Unsupported  # a list of lists
                out.extend(self.values(ctx, key, item, graph, inside_list))
            return out
        if isinstance(value, dict):
            term = self.node(ctx, key, value, graph)
            if term is None:
                raise Unsupported
            return [(term, None if term.startswith("_:") else ("@id", term))]
        o = self.owner
        _expanded, _scoped, _container, kind, language, direction, _ok = o.term(ctx, key)
        if kind in ("@id", "@vocab") and isinstance(value, str):
            iri = _iri(o.vocab(ctx, value) if kind == "@vocab" else o.iri(ctx, value))
            return [(f"<{iri}>", ("@id", f"<{iri}>"))]
        datatype = None
        if kind is not None and kind not in ("@id", "@vocab", "@none"):
            datatype, language = kind, None
        elif isinstance(value, str):
            if direction is not None:
                raise Unsupported
        else:
            language = None
        compare = ("@value", type(value) is bool, value, datatype, language)
        return [(_literal(value, datatype, language), compare)]

    def rdf_list(self, items: list[tuple[str, tuple | None]], graph: str) -> str:
        """pyld's ``_list_to_rdf``: a chain of blank nodes, or rdf:nil."""
        if not items:
            return f"<{RDF_NIL}>"
        head = node = self.blank()
        for index, (obj, _compare) in enumerate(items):
            self.emit(node, RDF_FIRST, obj, graph, None)
            following = self.blank() if index + 1 < len(items) else f"<{RDF_NIL}>"
            self.emit(node, RDF_REST, following, graph, None)
            node = following
        return head


def _json_text(value: Any) -> None:
    """Every string of a ``@json`` value (keys too) passes :func:`_text`, as in safe mode."""
    if isinstance(value, str):
        _text(value)
    items = [*value, *value.values()] if isinstance(value, dict) else value
    for item in items if isinstance(items, list) else ():
        _json_text(item)


def _literal_json(value: Any) -> str:
    _json_text(value)
    lexical = jsonld.canonicalize(value).decode("utf-8")
    return '"' + escape(lexical) + '"^^<' + RDF_JSON_LITERAL + ">"


class _Marks(dict):
    """Hash First Degree Quads: the blank node hashed is ``_:a``, every other one ``_:z``."""

    def __missing__(self, key: str) -> str:
        return "_:z"


def _line(quad: tuple[str, str, str, str], names: dict[str, str]) -> str:
    subject, predicate, obj, graph = quad
    if subject[0] == "_":
        subject = names[subject]
    if obj[0] == "_":
        obj = names[obj]
    if graph:
        return f"{subject} <{predicate}> {obj} {names[graph]} .\n"
    return f"{subject} <{predicate}> {obj} .\n"


def canonical_nquads(quads: list[tuple[str, str, str, str]]) -> str:
    """RDFC-1.0 when every blank node has a unique first-degree hash (else Unsupported)."""
    mentions: dict[str, list[tuple[str, str, str, str]]] = {}
    for quad in quads:
        subject, _predicate, obj, graph = quad
        for term in (subject, obj, graph):  # a quad naming a blank node twice counts twice
            if term and term[0] == "_":
                mentions.setdefault(term, []).append(quad)
    hashes: dict[str, str] = {}
    for blank, related in mentions.items():
        marks = _Marks({blank: "_:a"})
        lines = sorted(_line(quad, marks) for quad in related)
        digest = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
        if digest in hashes:
            raise Unsupported  # N-degree hashing needed: pyld's URDNA2015 does it
        hashes[digest] = blank
    names = {hashes[digest]: f"_:c14n{n}" for n, digest in enumerate(sorted(hashes))}
    lines = [_line(quad, names) for quad in quads]
    lines.sort()
    return "".join(lines)


class FastCanonicalizer:
    """The fast path of one :class:`~credentials.standards.jsonld.ContextStore`.

    ``processor`` is the store's pyld processor (its scoped-context memo); ``options`` the
    pyld options the store expands with. Processed top-level contexts and expanded terms are
    kept per active context (pyld's contexts are immutable and carry a unique ``_uuid``).
    """

    def __init__(self, processor: Any, options: dict[str, Any], cache_size: int = 256) -> None:
        from cachetools import LRUCache

        self.processor = processor
        self.options = {
            "isFrame": False,
            "keepFreeFloatingNodes": False,
            "extractAllScripts": False,
            "processingMode": "json-ld-1.1",
            **options,
        }
        self._initial = processor._get_initial_context(self.options)
        self._local: LRUCache[tuple, Any] = LRUCache(maxsize=cache_size)
        self._cache_size = cache_size
        self._terms: dict[str, dict[str, tuple]] = {}
        self._term_contexts: dict[tuple[str, str], Any] = {}

    # -- pyld, memoised ---------------------------------------------------------------------

    def term(self, ctx: Any, key: str) -> tuple:
        """What pyld reads of ``key`` in ``ctx``: its expansion (``_expand_iri`` with vocab),
        scoped ``@context``, ``@container`` (as a sorted tuple), ``@type``, ``@language``
        (or the default) and ``@direction`` (``get_context_value``), kept per context; and
        whether the expansion is an IRI pyld keeps in RDF."""
        uuid = ctx["_uuid"]
        terms = self._terms.get(uuid)
        if terms is None:
            if len(self._terms) >= self._cache_size:
                self._terms.clear()
            terms = self._terms[uuid] = {}
        info = terms.get(key)
        if info is None:
            get = jsonld.JsonLdProcessor.get_context_value
            container = get(ctx, key, "@container")
            if container is None:
                container = ()
            elif isinstance(container, str):
                container = (container,)
            else:
                container = tuple(sorted(container))
            expanded = self.processor._expand_iri(ctx, key, vocab=True, base=None)
            info = (
                expanded,
                get(ctx, key, "@context"),
                container,
                get(ctx, key, "@type"),
                get(ctx, key, "@language"),
                get(ctx, key, "@direction"),
                isinstance(expanded, str)
                and not expanded.startswith("_:")
                and bool(_ABSOLUTE.match(expanded)),
            )
            if len(terms) < _TERM_CACHE_LIMIT:
                terms[key] = info
        return info

    def type_iri(self, ctx: Any, value: str) -> str:
        """An ``@type`` value expanded (vocab), if it is an IRI pyld keeps."""
        info = self.term(ctx, value)
        if not info[6]:
            raise Unsupported
        return info[0]

    def term_context(self, ctx: Any, key: str, scoped: Any) -> Any:
        """The context ``key``'s property-scoped context makes of ``ctx``, kept."""
        memo_key = (ctx["_uuid"], key)
        processed = self._term_contexts.get(memo_key)
        if processed is None:
            processed = self.process(ctx, scoped, propagate=True, override_protected=True)
            if len(self._term_contexts) >= 16 * self._cache_size:
                self._term_contexts.clear()
            self._term_contexts[memo_key] = processed
        return processed

    def vocab(self, ctx: Any, value: str) -> Any:
        """``_expand_iri(ctx, value, vocab=True, base=None)``."""
        return self.term(ctx, value)[0]

    def iri(self, ctx: Any, value: str) -> Any:
        """``_expand_iri(ctx, value, base=None)`` (an ``@id``)."""
        colon = value.find(":")
        if colon > 0 and value.startswith("//", colon + 1) and value[0] != "@":
            return value  # scheme://… is returned as it is (pyld's own shortcut)
        return self.processor._expand_iri(ctx, value, base=None)

    def process(self, ctx: Any, local: Any, **flags: Any) -> Any:
        """A scoped context (memoised by the store's processor)."""
        return self.processor._process_context(ctx, local, self.options, **flags)

    def nested(self, ctx: Any, element: dict, keys: list[str]) -> tuple[Any, Any]:
        """pyld's ``_prepare_nested_context``: embedded ``@context``, then type-scoped ones."""
        if "@context" in element:
            local = element["@context"]
            urls = isinstance(local, list) and all(isinstance(url, str) for url in local)
            # Context URLs (ours) are kept; a stranger's inline context is processed anew.
            key = (ctx["_uuid"], json.dumps(local)) if urls or isinstance(local, str) else None
            processed = None if key is None else self._local.get(key)
            if processed is None:
                processed = self.processor._process_context(ctx, local, self.options)
                if key is not None:
                    self._local[key] = processed
            ctx = processed
        type_ctx = ctx
        for key in keys:
            if self.vocab(ctx, key) != "@type":
                continue
            value = element[key]
            types = [t for t in (value if isinstance(value, list) else [value])]
            for type_ in sorted(t for t in types if isinstance(t, str)):
                scoped = self.term(type_ctx, type_)[1]
                if scoped is not None and scoped is not False:
                    ctx = self.process(ctx, scoped, propagate=False)
        return ctx, type_ctx

    # -- the path -----------------------------------------------------------------------------

    def quads(self, document: Any) -> list[tuple[str, str, str, str]]:
        """The RDF dataset of ``document``, as pyld's ``to_rdf`` would give it."""
        if not isinstance(document, dict):
            raise Unsupported
        walk = _Walk(self)
        try:
            walk.node(self._initial, None, document, "")
        except Unsupported:
            raise
        except Exception as exc:  # pyld refused a context, a type error…: pyld says why
            raise Unsupported from exc
        finally:  # pyld's per-operation cache, in a resolver that lives as long as the store
            self.options["contextResolver"].per_op_cache.clear()
        if len(set(walk.quads)) != len(walk.quads):
            raise Unsupported  # pyld would write the line twice
        return walk.quads

    def canonicalize(self, document: Any) -> str:
        return canonical_nquads(self.quads(document))
