"""Records → an ``rdflib.Graph``: the API view of the triples ``graph.triples`` writes.

The triples themselves are defined once, in ``graph/triples.py`` (N-Triples lines straight
from the records; the build path writes those and never builds an rdflib graph).  Here each
``*_triples`` gives one record's triples as rdflib terms, and ``build_graph`` the whole graph,
for users, notebooks and tests.  Every fact keeps its provenance: each document, section,
task, target and citation is ``prov:wasDerivedFrom`` a ``pkg:SourceSpan`` (file + line
range).  No blank nodes are made, so the same records always give the same triples.
Must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from policykg.graph import triples
from policykg.ontology import PREFIXES
from policykg.records import (
    Agency,
    Citation,
    Corpus,
    Document,
    Section,
    SectorTag,
    Span,
    Target,
    Task,
)

__all__ = [
    "Triple",
    "agency_triples",
    "build_graph",
    "citation_triples",
    "date_literal",
    "document_triples",
    "graph_from_ntriples",
    "section_triples",
    "sector_tag_triples",
    "span_triples",
    "target_triples",
    "task_triples",
    "tree_triples",
]

logger = logging.getLogger(__name__)

Triple = tuple[URIRef, URIRef, Node]


def _bound(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph


def graph_from_ntriples(text: str) -> Graph:
    """An ``rdflib.Graph`` (project prefixes bound) of N-Triples text."""
    return _bound(Graph()).parse(data=text, format="nt")


def _terms(lines: Iterable[str]) -> Iterator[Triple]:
    text = "".join(lines)
    if not text:
        return
    for s, p, o in Graph().parse(data=text, format="nt"):
        if isinstance(s, URIRef) and isinstance(p, URIRef):  # always: no blank nodes made
            yield s, p, o


def date_literal(date: str | None, year: int | None = None) -> Literal | None:
    """Return the date as xsd:date, xsd:gYearMonth or xsd:gYear; never invent a day.

    >>> date_literal("2021-10-24").datatype.endswith("#date")
    True
    >>> str(date_literal("2021-10")), date_literal("2021-10").datatype.endswith("gYearMonth")
    ('2021-10', True)
    >>> str(date_literal(None, 2021))
    '2021'
    >>> date_literal(None) is None
    True
    """
    term = triples.date_term(date, year)
    if term is None:
        return None
    lexical, _, datatype = term.partition("^^")
    return Literal(lexical.strip('"'), datatype=URIRef(datatype.strip("<>")))


def span_triples(span: Span) -> Iterator[Triple]:
    """Triples of a source span node (shared by every fact with the same span)."""
    return _terms(triples.span_triples(span))


def document_triples(doc: Document) -> Iterator[Triple]:
    """Triples of a document: ELI metadata, issuers, compilation place, provenance."""
    return _terms(triples.document_triples(doc))


def section_triples(section: Section, file: str) -> Iterator[Triple]:
    """Triples of a section: its heading, marker, level and parent (section or document)."""
    return _terms(triples.section_triples(section, file))


def agency_triples(agency: Agency) -> Iterator[Triple]:
    """Triples of an agency: an org:Organization with its names, level and parent."""
    return _terms(triples.agency_triples(agency))


def task_triples(
    task: Task,
    file: str,
    *,
    section: URIRef | None = None,
    agency_ids: Mapping[str, str] | None = None,
) -> Iterator[Triple]:
    """Triples of a task: an n-ary mandate node with its policy, section and agencies."""
    ref = None if section is None else f"<{section}>"
    return _terms(triples.task_triples(task, file, section=ref, agency_ids=agency_ids))


def target_triples(target: Target, file: str, *, section: URIRef | None = None) -> Iterator[Triple]:
    """Triples of a target: indicator, value, unit, direction and years, with its line."""
    ref = None if section is None else f"<{section}>"
    return _terms(triples.target_triples(target, file, section=ref))


def citation_triples(citation: Citation, file: str, index: int = 0) -> Iterator[Triple]:
    """Triples of a citation: ``eli:cites`` / ``eli:based_on`` and its reified provenance."""
    return _terms(triples.citation_triples(citation, file, index))


def sector_tag_triples(tag: SectorTag, subjects: Mapping[str, URIRef]) -> Iterator[Triple]:
    """``<subject> pkg:sector <sector/slug>`` for a tag whose subject is a known record id."""
    return _terms(triples.sector_tag_triples(tag, {k: str(v) for k, v in subjects.items()}))


def tree_triples(tree: Any) -> Iterator[Triple]:
    """``<child> pkg:treeParent <parent>`` for each policy placed under a policy in the tree."""
    return _terms(triples.tree_triples(tree))


def build_graph(
    corpus: Corpus, sector_tags: Iterable[SectorTag] = (), tree: Any = None
) -> Graph:
    """Build the RDF graph of a corpus (plus the sector scheme of ``ontology/sectors.ttl``).

    Args:
        corpus: the records.
        sector_tags: sector tags of documents, tasks and targets (default: ``corpus.sectors``).
        tree: the "1+N" tree; each placement adds a ``pkg:treeParent`` edge.

    Returns:
        A new ``rdflib.Graph`` with the project prefixes bound: the triples of
        ``graph.triples.ntriples_text`` (what the store's ``graph.nt`` holds).
    """
    g = graph_from_ntriples(triples.ntriples_text(corpus, sector_tags, tree))
    logger.info("built %d triples", len(g))
    return g
