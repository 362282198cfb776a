"""Records → RDF triples: one ``*_triples`` generator per record type, and ``build_graph``.

Every fact keeps its provenance: each document, section, task, target and citation is
``prov:wasDerivedFrom`` a ``pkg:SourceSpan`` (file + line range).  No blank nodes are made,
so the same records always give the same triples (and byte-identical sorted N-Triples).
Must not import ``loaders`` or ``viz``.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import PurePath
from typing import Any, Final, Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from policykg.graph import iris
from policykg.ontology import ELI, OA, PKG, PREFIXES, SECTORS_PATH
from policykg.records import (
    Agency,
    Citation,
    Corpus,
    Document,
    Relation,
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
    "section_triples",
    "sector_tag_triples",
    "span_triples",
    "target_triples",
    "task_triples",
    "tree_triples",
]

logger = logging.getLogger(__name__)

Triple = tuple[URIRef, URIRef, Node]

# Document.date as the loaders give it: "2022-01-30" (signed "2022年 1月 30日" at line 16506),
# or a partial "2022-01" / "2022".
DATE = re.compile(
    r"""^(?P<year>\d{4})
        (?:-(?P<month>\d{2})
           (?:-(?P<day>\d{2}))?
        )?$""",
    re.VERBOSE,
)

_ZH: Final = "zh"


def _zh(text: str) -> Literal:
    return Literal(text, lang=_ZH)


def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def _gyear(year: int) -> Literal:
    return Literal(f"{year:04d}", datatype=XSD.gYear)


def _decimal(x: float) -> Literal:
    # repr of a float is the shortest string that round-trips, so 0.1 stays "0.1"
    d = Decimal(repr(x))
    return Literal(d, datatype=XSD.decimal)


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
    if date:
        m = DATE.match(date.strip())
        if m is None:
            logger.warning("date not understood, kept out of the graph: %r", date)
        elif m["day"]:
            return Literal(m[0], datatype=XSD.date)
        elif m["month"]:
            return Literal(m[0], datatype=XSD.gYearMonth)
        else:
            return Literal(m[0], datatype=XSD.gYear)
    if year is not None:
        return _gyear(year)
    return None


def _span(file: str, start: int, end: int) -> Span:
    # the file's name only: a span must not depend on where the input sat on disk
    return Span(file=PurePath(file).name or "input", start_line=start, end_line=end)


def span_triples(span: Span) -> Iterator[Triple]:
    """Triples of a source span node (shared by every fact with the same span)."""
    span = _span(span.file, span.start_line, span.end_line)
    s = iris.span_iri(span)
    yield s, RDF.type, PKG.SourceSpan
    yield s, PKG.sourceFile, Literal(span.file)
    yield s, PKG.startLine, _int(span.start_line)
    yield s, PKG.endLine, _int(span.end_line)


def _provenance(subject: URIRef, span: Span) -> Iterator[Triple]:
    span = _span(span.file, span.start_line, span.end_line)
    yield subject, PROV.wasDerivedFrom, iris.span_iri(span)
    yield from span_triples(span)


def _jurisdiction(subject: URIRef, jurisdiction: str | None) -> Iterator[Triple]:
    if not jurisdiction:
        return
    j = iris.jurisdiction_iri(jurisdiction)
    yield subject, PKG.jurisdiction, j
    yield j, RDF.type, DCTERMS.Jurisdiction
    yield j, RDFS.label, _zh(jurisdiction)


def document_triples(doc: Document) -> Iterator[Triple]:
    """Triples of a document: ELI metadata, issuers, compilation place, provenance."""
    d = iris.doc_iri(doc.id)
    yield d, RDF.type, ELI.LegalResource
    yield d, ELI.title, _zh(doc.title)
    yield d, PKG.kind, Literal(str(doc.kind))
    if doc.doc_number:
        yield d, ELI.id_local, Literal(doc.doc_number)
    date = date_literal(doc.date, doc.year)
    if date is not None:
        yield d, ELI.date_document, date
    if doc.date_source is not None and doc.date:
        yield d, PKG.dateSource, Literal(str(doc.date_source))
    for agency_id in doc.issuer_ids:
        yield d, ELI.passed_by, iris.agency_iri(agency_id)
    if doc.part is not None:
        yield d, PKG.part, _int(doc.part)
    if doc.chapter:
        yield d, PKG.chapter, _zh(doc.chapter)
    if doc.seq:
        yield d, PKG.seq, Literal(doc.seq)
    if doc.url:
        yield d, DCTERMS.source, Literal(doc.url, datatype=XSD.anyURI)
    yield from _jurisdiction(d, doc.jurisdiction)
    yield from _provenance(d, doc.span)


def _section_ref(doc_id: str, section_id: str) -> URIRef:
    n = section_id
    if n.startswith(doc_id) and len(n) > len(doc_id):
        n = n[len(doc_id) :].lstrip("-_/.:#") or n
    return iris.section_iri(doc_id, n)


def section_triples(section: Section, file: str) -> Iterator[Triple]:
    """Triples of a section: its heading, marker, level and parent (section or document)."""
    s = _section_ref(section.doc_id, section.id)
    yield s, RDF.type, PKG.Section
    parent = (
        _section_ref(section.doc_id, section.parent_id)
        if section.parent_id
        else iris.doc_iri(section.doc_id)
    )
    yield s, ELI.is_part_of, parent
    if section.heading:  # an article such as 第二十三条 (line 46397) has a marker only
        yield s, ELI.title, _zh(section.heading)
    if section.marker:
        yield s, ELI.number, Literal(section.marker)
    yield s, PKG.depth, _int(section.level)
    span = Span(file=file, start_line=section.start_line, end_line=section.end_line)
    yield from _provenance(s, span)


def agency_triples(agency: Agency) -> Iterator[Triple]:
    """Triples of an agency: an org:Organization with its names, level and parent."""
    a = iris.agency_iri(agency.id)
    yield a, RDF.type, ORG.Organization
    yield a, SKOS.prefLabel, _zh(agency.name)
    for alias in agency.aliases:
        if alias != agency.name:
            yield a, SKOS.altLabel, _zh(alias)
    yield a, PKG.level, Literal(str(agency.level))
    if agency.parent:
        yield a, ORG.subOrganizationOf, iris.agency_iri(agency.parent)
    yield from _jurisdiction(a, agency.jurisdiction)


def task_triples(
    task: Task,
    file: str,
    *,
    section: URIRef | None = None,
    agency_ids: Mapping[str, str] | None = None,
) -> Iterator[Triple]:
    """Triples of a task: an n-ary mandate node with its policy, section and agencies.

    ``agency_ids`` maps the canonical names in ``task.lead``/``task.participants`` to agency
    ids; a name it does not hold is kept as ``pkg:unresolvedAgency``.
    """
    t = iris.task_iri(task.id)
    ids = agency_ids or {}
    yield t, RDF.type, PKG.Task
    yield t, PKG.assignedBy, iris.doc_iri(task.doc_id)
    if section is not None:
        yield t, PKG.statedIn, section
    yield t, DCTERMS.description, _zh(task.text)
    if task.raw:
        yield t, PKG.annotation, _zh(task.raw)
    for prop, names in ((PKG.leadAgency, task.lead), (PKG.participantAgency, task.participants)):
        for name in names:
            agency_id = ids.get(name)
            if agency_id is None:
                yield t, PKG.unresolvedAgency, _zh(name)
            else:
                yield t, prop, iris.agency_iri(agency_id)
    for name in task.unresolved:
        yield t, PKG.unresolvedAgency, _zh(name)
    for group in task.collective:
        yield t, PKG.collective, _zh(group)
    yield t, PKG.etAl, Literal(task.etc)
    yield from _jurisdiction(t, task.jurisdiction)
    yield from _provenance(t, Span(file=file, start_line=task.start_line, end_line=task.end_line))


def target_triples(target: Target, file: str, *, section: URIRef | None = None) -> Iterator[Triple]:
    """Triples of a target: indicator, value, unit, direction and years, with its line."""
    g = iris.target_iri(target.id)
    yield g, RDF.type, PKG.Target
    yield g, PKG.assignedBy, iris.doc_iri(target.doc_id)
    if section is not None:
        yield g, PKG.statedIn, section
    yield g, PKG.indicator, _zh(target.indicator)
    if target.value is not None:
        yield g, PKG.value, _decimal(target.value)
    if target.value_max is not None:
        yield g, PKG.valueMax, _decimal(target.value_max)
    if target.unit:
        yield g, PKG.unit, Literal(target.unit)
    yield g, PKG.direction, Literal(str(target.direction))
    yield g, PKG.approx, Literal(target.approx)
    if target.year is not None:
        yield g, PKG.targetYear, _gyear(target.year)
    if target.base_year is not None:
        yield g, PKG.baseYear, _gyear(target.base_year)
    yield g, DCTERMS.description, _zh(target.text)
    yield from _provenance(g, Span(file=file, start_line=target.line, end_line=target.line))


def citation_triples(citation: Citation, file: str, index: int = 0) -> Iterator[Triple]:
    """Triples of a citation: ``eli:cites`` / ``eli:based_on`` and its reified provenance.

    ``index`` tells apart several citations on the same line of the same document.
    """
    cited: URIRef
    if citation.cited_doc_id:
        cited = iris.doc_iri(citation.cited_doc_id)
    elif citation.external_id:
        cited = iris.external_iri(citation.external_id)
        yield cited, RDF.type, PKG.ExternalPolicy
        yield cited, ELI.title, _zh(citation.external_title or citation.cited_title)
    else:
        logger.debug("citation with no target kept out: %s", citation)
        return
    citing = iris.doc_iri(citation.doc_id)
    prop = ELI.based_on if citation.relation == Relation.IMPLEMENTS else ELI.cites
    yield citing, prop, cited
    st = iris.citation_iri(citation.doc_id, citation.line, index)
    yield st, RDF.type, RDF.Statement
    yield st, RDF.subject, citing
    yield st, RDF.predicate, prop
    yield st, RDF.object, cited
    yield st, RDFS.label, _zh(citation.cited_title)
    # the title exactly as quoted in the text, as a Web Annotation selector on the line
    quote = URIRef(f"{st}#quote")
    yield st, OA.hasSelector, quote
    yield quote, RDF.type, OA.TextQuoteSelector
    yield quote, OA.exact, _zh(citation.cited_title)
    yield from _provenance(st, Span(file=file, start_line=citation.line, end_line=citation.line))


def sector_tag_triples(tag: SectorTag, subjects: Mapping[str, URIRef]) -> Iterator[Triple]:
    """``<subject> pkg:sector <sector/slug>`` for a tag whose subject is a known record id."""
    subject = subjects.get(tag.subject_id)
    if subject is None:
        logger.debug("sector tag of an unknown subject kept out: %s", tag.subject_id)
        return
    yield subject, PKG.sector, iris.sector_iri(tag.sector)


class _TreeLike(Protocol):
    """What ``tree_triples`` reads of a ``graph.tree.TreeNode``."""

    @property
    def children(self) -> Sequence[Any]: ...


def _tree_doc_id(node: Any) -> str | None:
    value = getattr(node, "doc_id", None)
    return value if isinstance(value, str) and value else None


def tree_triples(tree: _TreeLike) -> Iterator[Triple]:
    """``<child> pkg:treeParent <parent>`` for each policy placed under a policy in the "1+N" tree.

    Group nodes (no ``doc_id``) are passed through: their children hang under the nearest
    policy above them.  A group outside the system proper (``in_system`` False: speeches,
    enterprise plans, agreements) cuts the chain: its texts are not placed under the "1".
    """
    stack: list[tuple[Any, str | None]] = [(tree, None)]
    while stack:
        node, parent_doc = stack.pop()
        doc_id = _tree_doc_id(node)
        if doc_id is not None and parent_doc is not None and doc_id != parent_doc:
            yield iris.doc_iri(doc_id), PKG.treeParent, iris.doc_iri(parent_doc)
        here = doc_id if doc_id is not None else parent_doc
        if getattr(node, "in_system", True) is False:
            here = None
        for child in getattr(node, "children", ()):
            stack.append((child, here))


_Ranges = list[tuple[int, int, int, URIRef]]
_SectionIndex = tuple[dict[tuple[str, ...], URIRef], _Ranges]


def _section_index(doc: Document) -> _SectionIndex:
    by_path = {sec.path: _section_ref(doc.id, sec.id) for sec in doc.sections}
    ranges = [
        (sec.start_line, sec.end_line, sec.level, _section_ref(doc.id, sec.id))
        for sec in doc.sections
    ]
    return by_path, ranges


def _deepest(ranges: _Ranges, line: int) -> URIRef | None:
    best: tuple[int, int, URIRef] | None = None
    for start, end, level, iri in ranges:
        if start <= line <= end and (best is None or (level, start) > best[:2]):
            best = (level, start, iri)
    return None if best is None else best[2]


def _load_sectors(graph: Graph) -> None:
    if SECTORS_PATH.exists():
        graph.parse(SECTORS_PATH, format="turtle")
    else:
        logger.warning("%s not found: sector concepts have no labels", SECTORS_PATH)


def build_graph(
    corpus: Corpus, sector_tags: Iterable[SectorTag] = (), tree: _TreeLike | None = None
) -> Graph:
    """Build the RDF graph of a corpus (plus the sector scheme of ``ontology/sectors.ttl``).

    Args:
        corpus: the records.
        sector_tags: sector tags of documents, tasks and targets (default: ``corpus.sectors``).
        tree: the "1+N" tree; each placement adds a ``pkg:treeParent`` edge.

    Returns:
        A new ``rdflib.Graph`` with the project prefixes bound.
    """
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    _load_sectors(g)
    add = g.add
    files = {doc.id: doc.file for doc in corpus.documents}
    subjects: dict[str, URIRef] = {}
    sections: dict[str, _SectionIndex] = {}
    for doc in corpus.documents:
        subjects[doc.id] = iris.doc_iri(doc.id)
        sections[doc.id] = _section_index(doc)
        for t in document_triples(doc):
            add(t)
        for sec in doc.sections:
            for t in section_triples(sec, doc.file):
                add(t)
    agency_ids: dict[str, str] = {}
    for agency in corpus.agencies:
        agency_ids.setdefault(agency.id, agency.id)
        agency_ids.setdefault(agency.name, agency.id)
        for t in agency_triples(agency):
            add(t)
    for task in corpus.tasks:
        subjects[task.id] = iris.task_iri(task.id)
        by_path, ranges = sections.get(task.doc_id, ({}, []))
        section = by_path.get(task.section) or _deepest(ranges, task.start_line)
        file = files.get(task.doc_id, "input")
        for t in task_triples(task, file, section=section, agency_ids=agency_ids):
            add(t)
    for target in corpus.targets:
        subjects[target.id] = iris.target_iri(target.id)
        _, ranges = sections.get(target.doc_id, ({}, []))
        file = files.get(target.doc_id, "input")
        for t in target_triples(target, file, section=_deepest(ranges, target.line)):
            add(t)
    seen: Counter[tuple[str, int]] = Counter()
    for citation in corpus.citations:
        key = (citation.doc_id, citation.line)
        for t in citation_triples(citation, files.get(citation.doc_id, "input"), seen[key]):
            add(t)
        seen[key] += 1
    for tag in sector_tags or corpus.sectors:
        for t in sector_tag_triples(tag, subjects):
            add(t)
    if tree is not None:
        for t in tree_triples(tree):
            add(t)
    logger.info("built %d triples", len(g))
    return g
