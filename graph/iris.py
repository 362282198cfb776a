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
from typing import TYPE_CHECKING, Final
from urllib.parse import unquote

from policykg.records import Section, Span

if TYPE_CHECKING:
    from rdflib import URIRef

__all__ = [
    "BASE",
    "agency_iri",
    "agency_ref",
    "change_iri",
    "change_ref",
    "citation_iri",
    "citation_ref",
    "doc_iri",
    "doc_ref",
    "external_iri",
    "external_ref",
    "inferred_iri",
    "inferred_ref",
    "jurisdiction_iri",
    "jurisdiction_ref",
    "parse_iri",
    "section_iri",
    "section_iri_of",
    "section_ref",
    "section_ref_of",
    "sector_iri",
    "sector_ref",
    "segment",
    "slugify",
    "span_iri",
    "span_ref",
    "target_iri",
    "target_ref",
    "task_iri",
    "task_ref",
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


def _ref(*parts: str | int) -> str:
    return BASE + "/".join(map(segment, parts))


def doc_ref(doc_id: str) -> str:
    """IRI of a document: ``doc/<doc_id>``."""
    return _ref("doc", doc_id)


def section_ref(doc_id: str, n: str | int) -> str:
    """IRI of a document's section: ``doc/<doc_id>/section/<n>``."""
    return _ref("doc", doc_id, "section", n)


def section_ref_of(section: Section) -> str:
    """IRI of a ``Section`` record; ``n`` is its id with a leading ``<doc_id>`` removed."""
    n = section.id
    if n.startswith(section.doc_id) and len(n) > len(section.doc_id):
        n = n[len(section.doc_id) :].lstrip("-_/.:#") or n
    return section_ref(section.doc_id, n)


def task_ref(task_id: str) -> str:
    """IRI of a task (mandate): ``task/<task_id>``."""
    return _ref("task", task_id)


def agency_ref(agency_id: str) -> str:
    """IRI of an agency: ``agency/<agency_id>``."""
    return _ref("agency", agency_id)


def change_ref(agency_id: str) -> str:
    """IRI of the change that made an agency from its predecessor: ``agency/<id>/change``."""
    return _ref("agency", agency_id, "change")


def target_ref(target_id: str) -> str:
    """IRI of a target: ``target/<target_id>``."""
    return _ref("target", target_id)


def external_ref(external_id: str) -> str:
    """IRI of a policy cited but not in the corpus: ``external/<external_id>``."""
    return _ref("external", external_id)


def sector_ref(slug: str) -> str:
    """IRI of a sector concept: ``sector/<slug>``."""
    return _ref("sector", slug)


def jurisdiction_ref(slug: str) -> str:
    """IRI of a jurisdiction: ``jurisdiction/<slug>``."""
    return _ref("jurisdiction", slug)


def span_ref(span: Span) -> str:
    """IRI of a source span (provenance node): ``source/<file>/<start>-<end>``."""
    return _ref("source", span.file, f"{span.start_line}-{span.end_line}")


def inferred_ref(doc_id: str, field: str) -> str:
    """IRI of a value inferred from a citing document: ``doc/<doc_id>/inferred/<field>``."""
    return _ref("doc", doc_id, "inferred", field)


def citation_ref(doc_id: str, line: int, index: int) -> str:
    """IRI of one citation statement: ``doc/<doc_id>/citation/<line>-<index>``."""
    return _ref("doc", doc_id, "citation", f"{line}-{index}")


def _term(ref: str) -> URIRef:
    from rdflib import URIRef  # here: the N-Triples writer uses the *_ref strings, without rdflib

    return URIRef(ref)



def doc_iri(doc_id: str) -> URIRef:
    """``doc_ref`` as an rdflib term."""
    return _term(doc_ref(doc_id))


def section_iri(doc_id: str, n: str | int) -> URIRef:
    """``section_ref`` as an rdflib term."""
    return _term(section_ref(doc_id, n))


def section_iri_of(section: Section) -> URIRef:
    """``section_ref_of`` as an rdflib term."""
    return _term(section_ref_of(section))


def task_iri(task_id: str) -> URIRef:
    """``task_ref`` as an rdflib term."""
    return _term(task_ref(task_id))


def agency_iri(agency_id: str) -> URIRef:
    """``agency_ref`` as an rdflib term."""
    return _term(agency_ref(agency_id))


def change_iri(agency_id: str) -> URIRef:
    """``change_ref`` as an rdflib term."""
    return _term(change_ref(agency_id))


def target_iri(target_id: str) -> URIRef:
    """``target_ref`` as an rdflib term."""
    return _term(target_ref(target_id))


def external_iri(external_id: str) -> URIRef:
    """``external_ref`` as an rdflib term."""
    return _term(external_ref(external_id))


def sector_iri(slug: str) -> URIRef:
    """``sector_ref`` as an rdflib term."""
    return _term(sector_ref(slug))


def jurisdiction_iri(slug: str) -> URIRef:
    """``jurisdiction_ref`` as an rdflib term."""
    return _term(jurisdiction_ref(slug))


def span_iri(span: Span) -> URIRef:
    """``span_ref`` as an rdflib term."""
    return _term(span_ref(span))


def inferred_iri(doc_id: str, field: str) -> URIRef:
    """``inferred_ref`` as an rdflib term."""
    return _term(inferred_ref(doc_id, field))


def citation_iri(doc_id: str, line: int, index: int) -> URIRef:
    """``citation_ref`` as an rdflib term."""
    return _term(citation_ref(doc_id, line, index))


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
