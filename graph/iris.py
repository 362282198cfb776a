"""Every IRI of the graph, derived from record identity, in this one module.

IRIs are readable and stable: they come from the records' own ids (document ids, task ids,
agency ids, …), never from run order or hashes of Python objects.  Chinese characters are
kept as they are (these are IRIs, RFC 3987); characters that may not appear in an IRI path
segment, and ``/``, are percent-encoded so that every id maps to exactly one segment.

Must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Final
from urllib.parse import unquote

from rdflib import URIRef

from policykg.records import Section, Span

__all__ = [
    "BASE",
    "agency_iri",
    "citation_iri",
    "doc_iri",
    "external_iri",
    "jurisdiction_iri",
    "parse_iri",
    "section_iri",
    "section_iri_of",
    "sector_iri",
    "segment",
    "slugify",
    "span_iri",
    "target_iri",
    "task_iri",
]

logger = logging.getLogger(__name__)

#: Base of every resource IRI (the ontology's own terms live under ``BASE + "ontology#"``).
BASE: Final = "https://w3id.org/policykg/"

# ASCII characters allowed unescaped in an IRI path segment (RFC 3987 iunreserved minus
# the sub-delims we do not want, to keep IRIs safe in Turtle prefixed names and URLs).
_SAFE_ASCII: Final = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"
)


# a character the loop below would escape, for the fast path: ASCII outside the safe set, or
# a space of any script (non-printable characters are caught by ``str.isprintable``)
_UNSAFE: Final = re.compile(r"[^A-Za-z0-9\-._~\x80-\U0010FFFF]|\s")


@functools.lru_cache(maxsize=1 << 16)  # the same ids recur in many triples
def segment(value: str | int) -> str:
    """Return ``value`` as one IRI path segment.

    Non-ASCII letters stay readable; ASCII characters outside ``[A-Za-z0-9-._~]`` and
    non-ASCII spaces/controls are percent-encoded as UTF-8.

    >>> segment("p3-12")
    'p3-12'
    >>> segment("北京市")
    '北京市'
    >>> segment("a/b c")
    'a%2Fb%20c'
    """
    text = str(value)
    if not text:
        raise ValueError("an IRI segment cannot be empty")
    if text.isprintable() and _UNSAFE.search(text) is None:
        return text  # the common case (ids, Chinese names), checked at C speed
    out: list[str] = []
    for ch in text:
        if ch in _SAFE_ASCII or (ord(ch) > 0x7F and ch.isprintable() and not ch.isspace()):
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out)


def slugify(text: str) -> str:
    """Return a lower-case slug of a sector or jurisdiction name (CJK kept).

    >>> slugify("Energy Supply")
    'energy-supply'
    >>> slugify("北京市")
    '北京市'
    """
    words = text.strip().lower().split()
    return segment("-".join(words))


def _iri(*parts: str | int) -> URIRef:
    return URIRef(BASE + "/".join(segment(p) for p in parts))


def doc_iri(doc_id: str) -> URIRef:
    """IRI of a document: ``doc/<doc_id>``."""
    return _iri("doc", doc_id)


def section_iri(doc_id: str, n: str | int) -> URIRef:
    """IRI of a document's section: ``doc/<doc_id>/section/<n>``."""
    return _iri("doc", doc_id, "section", n)


def section_iri_of(section: Section) -> URIRef:
    """IRI of a ``Section`` record; ``n`` is its id with a leading ``<doc_id>`` removed."""
    n = section.id
    if n.startswith(section.doc_id) and len(n) > len(section.doc_id):
        n = n[len(section.doc_id) :].lstrip("-_/.:#") or n
    return section_iri(section.doc_id, n)


def task_iri(task_id: str) -> URIRef:
    """IRI of a task (mandate): ``task/<task_id>``."""
    return _iri("task", task_id)


def agency_iri(agency_id: str) -> URIRef:
    """IRI of an agency: ``agency/<agency_id>``."""
    return _iri("agency", agency_id)


def change_iri(agency_id: str) -> URIRef:
    """IRI of the change that made an agency from its predecessor: ``agency/<id>/change``."""
    return _iri("agency", agency_id, "change")


def target_iri(target_id: str) -> URIRef:
    """IRI of a target: ``target/<target_id>``."""
    return _iri("target", target_id)


def external_iri(external_id: str) -> URIRef:
    """IRI of a policy cited but not in the corpus: ``external/<external_id>``."""
    return _iri("external", external_id)


def sector_iri(slug: str) -> URIRef:
    """IRI of a sector concept: ``sector/<slug>``."""
    return _iri("sector", slug)


def jurisdiction_iri(slug: str) -> URIRef:
    """IRI of a jurisdiction: ``jurisdiction/<slug>``."""
    return _iri("jurisdiction", slug)


def span_iri(span: Span) -> URIRef:
    """IRI of a source span (provenance node): ``source/<file>/<start>-<end>``."""
    return _iri("source", span.file, f"{span.start_line}-{span.end_line}")


def inferred_iri(doc_id: str, field: str) -> URIRef:
    """IRI of a value inferred from a citing document: ``doc/<doc_id>/inferred/<field>``."""
    return _iri("doc", doc_id, "inferred", field)


def citation_iri(doc_id: str, line: int, index: int) -> URIRef:
    """IRI of one citation statement: ``doc/<doc_id>/citation/<line>-<index>``."""
    return _iri("doc", doc_id, "citation", f"{line}-{index}")


_KINDS: Final = ("doc", "task", "agency", "target", "external", "sector", "jurisdiction", "source")


def parse_iri(iri: str) -> tuple[str, str]:
    """Return ``(kind, id)`` of a resource IRI, ids percent-decoded.

    Sections give ``("section", "<doc_id>/<n>")``; citations give
    ``("citation", "<doc_id>/<line>-<i>")``; spans ``("source", "<file>:<start>-<end>")``.

    >>> parse_iri("https://w3id.org/policykg/doc/p2-01")
    ('doc', 'p2-01')
    >>> parse_iri("https://w3id.org/policykg/doc/p2-01/section/3")
    ('section', 'p2-01/3')

    Raises:
        ValueError: ``iri`` is not one of ours.
    """
    if not iri.startswith(BASE):
        raise ValueError(f"not a policykg IRI: {iri}")
    parts = iri[len(BASE) :].split("/")
    kind = parts[0]
    if kind == "doc" and len(parts) == 4 and parts[2] in ("section", "citation"):
        return parts[2], f"{unquote(parts[1])}/{unquote(parts[3])}"
    if kind == "source" and len(parts) == 3:
        return kind, f"{unquote(parts[1])}:{parts[2]}"
    if kind in _KINDS and len(parts) == 2:
        return kind, unquote(parts[1])
    raise ValueError(f"not a policykg resource IRI: {iri}")
