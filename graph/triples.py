"""Records → N-Triples lines, straight from the records: the one place triples are defined.

Each ``*_triples`` generator yields the N-Triples lines (``"<s> <p> o .\\n"``) of one record;
``document_batch`` gathers everything one document contributes (its sections, tasks, targets,
citations and sector tags), so a build can stream, cache and validate the graph per document;
``corpus_batches`` yields the batches of a whole corpus, then the shared ones (agencies,
tree, sector scheme).  ``write_sorted`` writes them sorted and de-duplicated with an external
merge sort (memory bounded by the chunk size, not the corpus).

The lines are byte-identical to rdflib's N-Triples serializer on the same terms (same
literal escaping and lexical forms); ``graph.build.build_graph`` parses them into an
``rdflib.Graph`` for the API.  A new field of a record gets its triples here, in its
record's generator, and a shape in ``ontology/shapes.ttl``.

Must not import ``loaders`` or ``viz``, nor rdflib (the build path stays without it).
"""

from __future__ import annotations

import functools
import heapq
import logging
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any, Final, Protocol

from policykg.graph import iris
from policykg.ontology import PREFIXES, SECTORS_PATH
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
    "BatchContext",
    "agency_triples",
    "citation_triples",
    "corpus_batches",
    "corpus_lines",
    "date_term",
    "document_batch",
    "document_triples",
    "lang_literal",
    "literal",
    "ntriples_text",
    "section_triples",
    "sector_scheme_lines",
    "sector_tag_triples",
    "span_triples",
    "target_triples",
    "task_triples",
    "tree_triples",
    "typed_literal",
    "write_sorted",
]

logger = logging.getLogger(__name__)


def _ns(prefix: str, local: str) -> str:
    return f"<{PREFIXES[prefix]}{local}>"


_XSD: Final = PREFIXES["xsd"]
XSD_INTEGER: Final = _XSD + "integer"
XSD_DECIMAL: Final = _XSD + "decimal"
XSD_BOOLEAN: Final = _XSD + "boolean"
XSD_GYEAR: Final = _XSD + "gYear"
XSD_GYEARMONTH: Final = _XSD + "gYearMonth"
XSD_DATE: Final = _XSD + "date"
XSD_ANYURI: Final = _XSD + "anyURI"

# predicates and classes, in N-Triples form
RDF_TYPE: Final = _ns("rdf", "type")
RDF_STATEMENT: Final = _ns("rdf", "Statement")
RDF_SUBJECT: Final = _ns("rdf", "subject")
RDF_PREDICATE: Final = _ns("rdf", "predicate")
RDF_OBJECT: Final = _ns("rdf", "object")
RDF_VALUE: Final = _ns("rdf", "value")
RDFS_LABEL: Final = _ns("rdfs", "label")
SKOS_PREF: Final = _ns("skos", "prefLabel")
SKOS_ALT: Final = _ns("skos", "altLabel")
ORG_ORGANIZATION: Final = _ns("org", "Organization")
ORG_SUB: Final = _ns("org", "subOrganizationOf")
ORG_CHANGE: Final = _ns("org", "ChangeEvent")
ORG_RESULTED_FROM: Final = _ns("org", "resultedFrom")
ORG_ORIGINAL: Final = _ns("org", "originalOrganization")
ORG_RESULTING: Final = _ns("org", "resultingOrganization")
PROV_REVISION: Final = _ns("prov", "wasRevisionOf")
DCT_DATE: Final = _ns("dcterms", "date")
DCT_JURISDICTION: Final = _ns("dcterms", "Jurisdiction")
DCT_SOURCE: Final = _ns("dcterms", "source")
DCT_DESCRIPTION: Final = _ns("dcterms", "description")
PROV_DERIVED: Final = _ns("prov", "wasDerivedFrom")
OA_SELECTOR: Final = _ns("oa", "hasSelector")
OA_QUOTE: Final = _ns("oa", "TextQuoteSelector")
OA_EXACT: Final = _ns("oa", "exact")
ELI_RESOURCE: Final = _ns("eli", "LegalResource")
ELI_TITLE: Final = _ns("eli", "title")
ELI_ID_LOCAL: Final = _ns("eli", "id_local")
ELI_DATE: Final = _ns("eli", "date_document")
ELI_PASSED_BY: Final = _ns("eli", "passed_by")
ELI_PART_OF: Final = _ns("eli", "is_part_of")
ELI_NUMBER: Final = _ns("eli", "number")
ELI_CITES: Final = _ns("eli", "cites")
ELI_BASED_ON: Final = _ns("eli", "based_on")


def _pkg(local: str) -> str:
    return _ns("pkg", local)


PKG_TASK, PKG_TARGET, PKG_SECTION = _pkg("Task"), _pkg("Target"), _pkg("Section")
PKG_EXTERNAL, PKG_SPAN = _pkg("ExternalPolicy"), _pkg("SourceSpan")
PKG_KIND, PKG_DATE_SOURCE, PKG_PART = _pkg("kind"), _pkg("dateSource"), _pkg("part")
PKG_CHAPTER, PKG_SEQ, PKG_DEPTH = _pkg("chapter"), _pkg("seq"), _pkg("depth")
PKG_JURISDICTION, PKG_LEVEL, PKG_SECTOR = _pkg("jurisdiction"), _pkg("level"), _pkg("sector")
PKG_FILE, PKG_START, PKG_END = _pkg("sourceFile"), _pkg("startLine"), _pkg("endLine")
PKG_PAGE = _pkg("page")
PKG_ASSIGNED, PKG_STATED = _pkg("assignedBy"), _pkg("statedIn")
PKG_LEAD, PKG_PARTICIPANT = _pkg("leadAgency"), _pkg("participantAgency")
PKG_UNRESOLVED, PKG_COLLECTIVE = _pkg("unresolvedAgency"), _pkg("collective")
PKG_ANNOTATION, PKG_ETAL = _pkg("annotation"), _pkg("etAl")
PKG_LEAD_BASIS = _pkg("leadBasis")
PKG_INDICATOR, PKG_VALUE, PKG_VALUE_MAX = _pkg("indicator"), _pkg("value"), _pkg("valueMax")
PKG_UNIT, PKG_DIRECTION, PKG_APPROX = _pkg("unit"), _pkg("direction"), _pkg("approx")
PKG_TARGET_YEAR, PKG_BASE_YEAR = _pkg("targetYear"), _pkg("baseYear")
PKG_TREE_PARENT = _pkg("treeParent")
PKG_OPEN_WORLD = _pkg("unresolved")
# the official-document model (issue 11)
PKG_GENRE, PKG_ISSUER_LEVEL = _pkg("genre"), _pkg("issuerLevel")
PKG_OFFICIAL_TYPE, PKG_PUBLISHES = _pkg("officialType"), _pkg("publishes")
PKG_FROM_NOTICE = _pkg("takenFromNotice")
PKG_INFERRED, PKG_INFERRED_VALUE = _pkg("inferredValue"), _pkg("InferredValue")
PKG_FILLS = _pkg("fills")
PROV_QUOTED: Final = _ns("prov", "wasQuotedFrom")
#: the document property an inferred value stands for
_INFERRED_PROPERTY: Final = {"doc_number": ELI_ID_LOCAL, "date": ELI_DATE, "title": ELI_TITLE}

# Document.date as the loaders give it: "2022-01-30" (signed "2022年 1月 30日" at line 16506),
# or a partial "2022-01" / "2022".
DATE: Final = re.compile(
    r"""^(?P<year>\d{4})
        (?:-(?P<month>\d{2})
           (?:-(?P<day>\d{2}))?
        )?$""",
    re.VERBOSE,
)


def _quote(text: str) -> str:
    # exactly rdflib's N-Triples escaping (plugins/serializers/nt.py: _quote_encode)
    escaped = (text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
               .replace("\r", "\\r"))
    return f'"{escaped}"'


def literal(text: str) -> str:
    """A plain (``xsd:string``) literal.

    >>> literal('a "b"')
    '"a \\\\"b\\\\""'
    """
    return _quote(text)


def lang_literal(text: str, lang: str = "zh") -> str:
    """A language-tagged literal.

    >>> lang_literal("碳达峰")
    '"碳达峰"@zh'
    """
    return f"{_quote(text)}@{lang}"


def typed_literal(lexical: str, datatype: str) -> str:
    """A typed literal of a lexical form already in canonical form."""
    return f"{_quote(lexical)}^^<{datatype}>"


def _int(n: int) -> str:
    return f'"{int(n)}"^^<{XSD_INTEGER}>'


def _bool(value: bool) -> str:
    return f'"{"true" if value else "false"}"^^<{XSD_BOOLEAN}>'


def _gyear(year: int) -> str:
    return f'"{year:04d}"^^<{XSD_GYEAR}>'


def _decimal(x: float) -> str:
    # repr of a float is the shortest string that round-trips (0.1 stays "0.1"); rdflib
    # writes a Decimal in positional notation ("1E-7" → "0.0000001")
    return f'"{format(Decimal(repr(x)), "f")}"^^<{XSD_DECIMAL}>'


def _i(iri: str) -> str:
    return f"<{iri}>"


def date_term(date: str | None, year: int | None = None) -> str | None:
    """The date as xsd:date, xsd:gYearMonth or xsd:gYear; never an invented day.

    >>> date_term("2021-10").endswith('#gYearMonth>')
    True
    >>> date_term(None, 2021)
    '"2021"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    >>> date_term(None) is None
    True
    """
    if date:
        m = DATE.match(date.strip())
        if m is None:
            logger.warning("date not understood, kept out of the graph: %r", date)
        elif m["day"]:
            return typed_literal(m[0], XSD_DATE)
        elif m["month"]:
            return typed_literal(m[0], XSD_GYEARMONTH)
        else:
            return typed_literal(m[0], XSD_GYEAR)
    if year is not None:
        return _gyear(year)
    return None


def _t(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


@functools.lru_cache(maxsize=1024)
def _file_name(file: str) -> str:
    # the file's name only: a span must not depend on where the input sat on disk
    return PurePath(file).name or "input"


def _named(span: Span) -> Span:
    """``span`` with its file's name only."""
    name = _file_name(span.file)
    return span if name == span.file else Span(file=name, start_line=span.start_line,
                                               end_line=span.end_line, page=span.page)


def span_triples(span: Span) -> Iterator[str]:
    """Triples of a source span node (shared by every fact with the same span); a PDF's
    span names the page of its first line."""
    span = _named(span)
    return _span_lines(_i(iris.span_ref(span)), span)


def _span_lines(s: str, span: Span) -> Iterator[str]:
    yield _t(s, RDF_TYPE, PKG_SPAN)
    yield _t(s, PKG_FILE, literal(span.file))
    yield _t(s, PKG_START, _int(span.start_line))
    yield _t(s, PKG_END, _int(span.end_line))
    if span.page is not None:
        yield _t(s, PKG_PAGE, _int(span.page))


def _provenance(subject: str, span: Span) -> Iterator[str]:
    span = _named(span)
    s = _i(iris.span_ref(span))
    yield _t(subject, PROV_DERIVED, s)
    yield from _span_lines(s, span)


def _jurisdiction(subject: str, jurisdiction: str | None) -> Iterator[str]:
    if not jurisdiction:
        return
    j = _i(iris.jurisdiction_ref(jurisdiction))
    yield _t(subject, PKG_JURISDICTION, j)
    yield _t(j, RDF_TYPE, DCT_JURISDICTION)
    yield _t(j, RDFS_LABEL, lang_literal(jurisdiction))


def document_triples(doc: Document) -> Iterator[str]:
    """Triples of a document: ELI metadata, issuers, compilation place, provenance."""
    d = _i(iris.doc_ref(doc.id))
    yield _t(d, RDF_TYPE, ELI_RESOURCE)
    yield _t(d, ELI_TITLE, lang_literal(doc.title))
    yield _t(d, PKG_KIND, literal(str(doc.kind)))
    if doc.doc_number:
        yield _t(d, ELI_ID_LOCAL, literal(doc.doc_number))
    date = date_term(doc.date, doc.year)
    if date is not None:
        yield _t(d, ELI_DATE, date)
    if doc.date_source is not None and doc.date:
        yield _t(d, PKG_DATE_SOURCE, literal(str(doc.date_source)))
    for agency_id in doc.issuer_ids:
        yield _t(d, ELI_PASSED_BY, _i(iris.agency_ref(agency_id)))
    if doc.part is not None:
        yield _t(d, PKG_PART, _int(doc.part))
    if doc.chapter:
        yield _t(d, PKG_CHAPTER, lang_literal(doc.chapter))
    if doc.seq:
        yield _t(d, PKG_SEQ, literal(doc.seq))
    if doc.url:
        yield _t(d, DCT_SOURCE, typed_literal(doc.url, XSD_ANYURI))
    if doc.genre is not None:
        yield _t(d, PKG_GENRE, literal(str(doc.genre)))
    if doc.level is not None:
        yield _t(d, PKG_ISSUER_LEVEL, literal(str(doc.level)))
    if doc.official_type is not None:
        yield _t(d, PKG_OFFICIAL_TYPE, literal(str(doc.official_type)))
    for attached in doc.notice_of:
        yield _t(d, PKG_PUBLISHES, _i(iris.doc_ref(attached)))
    for taken in doc.from_notice:
        yield _t(d, PKG_FROM_NOTICE, literal(taken))
    yield from _jurisdiction(d, doc.jurisdiction)
    yield from _provenance(d, doc.span)
    yield from inferred_triples(doc)


def inferred_triples(doc: Document) -> Iterator[str]:
    """Triples of the metadata a document does not print, each with the citing line it came from."""
    d = _i(iris.doc_ref(doc.id))
    for taken in doc.inferred:
        prop = _INFERRED_PROPERTY.get(taken.field)
        if prop is None:
            logger.debug("inferred value of an unknown field kept out: %s", taken)
            continue
        n = _i(iris.inferred_ref(doc.id, taken.field))
        yield _t(d, PKG_INFERRED, n)
        yield _t(n, RDF_TYPE, PKG_INFERRED_VALUE)
        yield _t(n, PKG_FILLS, prop)
        value = (date_term(taken.value) if taken.field == "date" else
                 lang_literal(taken.value) if taken.field == "title" else None)
        yield _t(n, RDF_VALUE, value or literal(taken.value))
        yield _t(n, PROV_QUOTED, _i(iris.doc_ref(taken.doc_id)))
        yield _t(n, DCT_DESCRIPTION, lang_literal(taken.text))
        yield from _provenance(n, Span(file=taken.file, start_line=taken.line, end_line=taken.line))


def section_ref(doc_id: str, section_id: str) -> str:
    """The IRI (N-Triples form) of a section of ``doc_id`` from its record id."""
    n = section_id
    if n.startswith(doc_id) and len(n) > len(doc_id):
        n = n[len(doc_id) :].lstrip("-_/.:#") or n
    return _i(iris.section_ref(doc_id, n))


def section_triples(section: Section, file: str) -> Iterator[str]:
    """Triples of a section: its heading, marker, level and parent (section or document)."""
    s = section_ref(section.doc_id, section.id)
    yield _t(s, RDF_TYPE, PKG_SECTION)
    parent = (
        section_ref(section.doc_id, section.parent_id)
        if section.parent_id
        else _i(iris.doc_ref(section.doc_id))
    )
    yield _t(s, ELI_PART_OF, parent)
    if section.heading:  # an article such as 第二十三条 (line 46397) has a marker only
        yield _t(s, ELI_TITLE, lang_literal(section.heading))
    if section.marker:
        yield _t(s, ELI_NUMBER, literal(section.marker))
    yield _t(s, PKG_DEPTH, _int(section.level))
    span = Span(file=file, start_line=section.start_line, end_line=section.end_line,
                page=section.page)
    yield from _provenance(s, span)


def agency_triples(agency: Agency) -> Iterator[str]:
    """Triples of an agency: an org:Organization with its names, level and parent."""
    a = _i(iris.agency_ref(agency.id))
    yield _t(a, RDF_TYPE, ORG_ORGANIZATION)
    yield _t(a, SKOS_PREF, lang_literal(agency.name))
    for alias in agency.aliases:
        if alias != agency.name:
            yield _t(a, SKOS_ALT, lang_literal(alias))
    yield _t(a, PKG_LEVEL, literal(str(agency.level)))
    if agency.parent:
        yield _t(a, ORG_SUB, _i(iris.agency_ref(agency.parent)))
    if agency.unresolved:
        yield _t(a, PKG_OPEN_WORLD, _bool(True))
    if agency.predecessor:
        # W3C ORG: a renaming or replacement is an org:ChangeEvent between the two bodies
        old = _i(iris.agency_ref(agency.predecessor))
        change = _i(iris.change_ref(agency.id))
        yield _t(a, ORG_RESULTED_FROM, change)
        yield _t(a, PROV_REVISION, old)
        yield _t(change, RDF_TYPE, ORG_CHANGE)
        yield _t(change, ORG_ORIGINAL, old)
        yield _t(change, ORG_RESULTING, a)
        if agency.since:
            yield _t(change, DCT_DATE, typed_literal(agency.since, XSD_DATE))
    yield from _jurisdiction(a, agency.jurisdiction)


def task_triples(
    task: Task,
    file: str,
    *,
    section: str | None = None,
    agency_ids: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Triples of a task: an n-ary mandate node with its policy, section and agencies.

    ``section`` is the section's IRI in N-Triples form (``<…>``). ``agency_ids`` maps the
    canonical names in ``task.lead``/``task.participants`` to agency ids; a name it does not
    hold is kept as ``pkg:unresolvedAgency``.
    """
    t = _i(iris.task_ref(task.id))
    ids = agency_ids or {}
    yield _t(t, RDF_TYPE, PKG_TASK)
    yield _t(t, PKG_ASSIGNED, _i(iris.doc_ref(task.doc_id)))
    if section is not None:
        yield _t(t, PKG_STATED, section)
    yield _t(t, DCT_DESCRIPTION, lang_literal(task.text))
    if task.raw:
        yield _t(t, PKG_ANNOTATION, lang_literal(task.raw))
    for prop, names in ((PKG_LEAD, task.lead), (PKG_PARTICIPANT, task.participants)):
        for name in names:
            agency_id = ids.get(name)
            if agency_id is None:
                yield _t(t, PKG_UNRESOLVED, lang_literal(name))
            else:
                yield _t(t, prop, _i(iris.agency_ref(agency_id)))
    for name in task.unresolved:
        yield _t(t, PKG_UNRESOLVED, lang_literal(name))
    if task.lead_basis is not None:
        yield _t(t, PKG_LEAD_BASIS, literal(str(task.lead_basis)))
    for group in task.collective:
        yield _t(t, PKG_COLLECTIVE, lang_literal(group))
    yield _t(t, PKG_ETAL, _bool(task.etc))
    yield from _jurisdiction(t, task.jurisdiction)
    yield from _provenance(t, Span(file=file, start_line=task.start_line, end_line=task.end_line,
                                   page=task.page))


def target_triples(target: Target, file: str, *, section: str | None = None) -> Iterator[str]:
    """Triples of a target: indicator, value, unit, direction and years, with its line."""
    g = _i(iris.target_ref(target.id))
    yield _t(g, RDF_TYPE, PKG_TARGET)
    yield _t(g, PKG_ASSIGNED, _i(iris.doc_ref(target.doc_id)))
    if section is not None:
        yield _t(g, PKG_STATED, section)
    yield _t(g, PKG_INDICATOR, lang_literal(target.indicator))
    if target.value is not None:
        yield _t(g, PKG_VALUE, _decimal(target.value))
    if target.value_max is not None:
        yield _t(g, PKG_VALUE_MAX, _decimal(target.value_max))
    if target.unit:
        yield _t(g, PKG_UNIT, literal(target.unit))
    yield _t(g, PKG_DIRECTION, literal(str(target.direction)))
    yield _t(g, PKG_APPROX, _bool(target.approx))
    if target.year is not None:
        yield _t(g, PKG_TARGET_YEAR, _gyear(target.year))
    if target.base_year is not None:
        yield _t(g, PKG_BASE_YEAR, _gyear(target.base_year))
    yield _t(g, DCT_DESCRIPTION, lang_literal(target.text))
    yield from _provenance(g, Span(file=file, start_line=target.line, end_line=target.line,
                                   page=target.page))


def citation_triples(citation: Citation, file: str, index: int = 0) -> Iterator[str]:
    """Triples of a citation: ``eli:cites`` / ``eli:based_on`` and its reified provenance.

    ``index`` tells apart several citations on the same line of the same document.
    """
    if citation.cited_doc_id:
        cited = _i(iris.doc_ref(citation.cited_doc_id))
    elif citation.external_id:
        cited = _i(iris.external_ref(citation.external_id))
        yield _t(cited, RDF_TYPE, PKG_EXTERNAL)
        yield _t(cited, ELI_TITLE, lang_literal(citation.external_title or citation.cited_title))
    else:
        logger.debug("citation with no target kept out: %s", citation)
        return
    citing = _i(iris.doc_ref(citation.doc_id))
    prop = ELI_BASED_ON if citation.relation == Relation.IMPLEMENTS else ELI_CITES
    yield _t(citing, prop, cited)
    st_iri = iris.citation_ref(citation.doc_id, citation.line, index)
    st = _i(st_iri)
    yield _t(st, RDF_TYPE, RDF_STATEMENT)
    yield _t(st, RDF_SUBJECT, citing)
    yield _t(st, RDF_PREDICATE, prop)
    yield _t(st, RDF_OBJECT, cited)
    yield _t(st, RDFS_LABEL, lang_literal(citation.cited_title))
    # the title exactly as quoted in the text, as a Web Annotation selector on the line
    quote = _i(f"{st_iri}#quote")
    yield _t(st, OA_SELECTOR, quote)
    yield _t(quote, RDF_TYPE, OA_QUOTE)
    yield _t(quote, OA_EXACT, lang_literal(citation.cited_title))
    yield from _provenance(st, Span(file=file, start_line=citation.line, end_line=citation.line,
                                    page=citation.page))


def sector_tag_triples(tag: SectorTag, subjects: Mapping[str, str]) -> Iterator[str]:
    """``<subject> pkg:sector <sector/slug>`` for a tag whose subject is a known record id.

    ``subjects`` maps record ids to their IRIs (plain, not in ``<…>``).
    """
    subject = subjects.get(tag.subject_id)
    if subject is None:
        logger.debug("sector tag of an unknown subject kept out: %s", tag.subject_id)
        return
    yield _t(_i(subject), PKG_SECTOR, _i(iris.sector_ref(tag.sector)))


class _TreeLike(Protocol):
    """What ``tree_triples`` reads of a ``graph.tree.TreeNode``."""

    @property
    def children(self) -> Sequence[Any]: ...


def _tree_doc_id(node: Any) -> str | None:
    value = getattr(node, "doc_id", None)
    return value if isinstance(value, str) and value else None


def tree_triples(tree: _TreeLike) -> Iterator[str]:
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
            yield _t(_i(iris.doc_ref(doc_id)), PKG_TREE_PARENT, _i(iris.doc_ref(parent_doc)))
        here = doc_id if doc_id is not None else parent_doc
        if getattr(node, "in_system", True) is False:
            here = None
        for child in getattr(node, "children", ()):
            stack.append((child, here))


def _term(term: Any) -> str:
    """A pyoxigraph term in rdflib's N-Triples form."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return _i(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return lang_literal(term.value, term.language.lower())
        if term.datatype.value == _XSD + "string":
            return literal(term.value)
        return typed_literal(term.value, term.datatype.value)
    raise ValueError(f"{SECTORS_PATH}: blank nodes are not allowed in the sector scheme")


@functools.cache
def _sector_scheme(path: Path) -> tuple[str, ...]:
    import pyoxigraph

    with path.open("rb") as f:
        quads = pyoxigraph.parse(f, format=pyoxigraph.RdfFormat.TURTLE, base_iri=path.as_uri())
        return tuple(_t(_term(q.subject), _term(q.predicate), _term(q.object)) for q in quads)


def sector_scheme_lines(path: Path = SECTORS_PATH) -> tuple[str, ...]:
    """The triples of the sector scheme (``ontology/sectors.ttl``), cached per process."""
    if not path.exists():
        logger.warning("%s not found: sector concepts have no labels", path)
        return ()
    return _sector_scheme(path)


# ------------------------------------------------------------------ batches


_Ranges = list[tuple[int, int, int, str]]


def _deepest(ranges: _Ranges, line: int) -> str | None:
    best: tuple[int, int, str] | None = None
    for start, end, level, iri in ranges:
        if start <= line <= end and (best is None or (level, start) > best[:2]):
            best = (level, start, iri)
    return None if best is None else best[2]


@dataclass(frozen=True, slots=True)
class BatchContext:
    """What a document's triples need from the rest of the corpus: agency ids by name."""

    agency_ids: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, agencies: Iterable[Agency]) -> BatchContext:
        """The context of a corpus's agencies (ids and canonical names → id)."""
        ids: dict[str, str] = {}
        for agency in agencies:
            ids.setdefault(agency.id, agency.id)
            ids.setdefault(agency.name, agency.id)
        return cls(agency_ids=ids)


def document_batch(
    doc: Document | None,
    tasks: Iterable[Task] = (),
    targets: Iterable[Target] = (),
    citations: Iterable[Citation] = (),
    tags: Iterable[SectorTag] = (),
    context: BatchContext | None = None,
) -> list[str]:
    """Every triple one document contributes (unsorted; shared nodes may repeat).

    ``tasks``, ``targets``, ``citations`` and ``tags`` are the document's own, in corpus order
    (the order numbers citations on one line). ``doc`` None: records whose document is not
    in the corpus (their file is ``input``, they have no section).
    """
    ctx = context or BatchContext()
    out: list[str] = []
    file = doc.file if doc is not None else "input"
    subjects: dict[str, str] = {}
    by_path: dict[tuple[str, ...], str] = {}
    ranges: _Ranges = []
    if doc is not None:
        subjects[doc.id] = iris.doc_ref(doc.id)
        out.extend(document_triples(doc))
        for sec in doc.sections:
            out.extend(section_triples(sec, doc.file))
            ref = section_ref(doc.id, sec.id)
            by_path[sec.path] = ref
            ranges.append((sec.start_line, sec.end_line, sec.level, ref))
    for task in tasks:
        subjects[task.id] = iris.task_ref(task.id)
        section = by_path.get(task.section) or _deepest(ranges, task.start_line)
        out.extend(task_triples(task, file, section=section, agency_ids=ctx.agency_ids))
    for target in targets:
        subjects[target.id] = iris.target_ref(target.id)
        out.extend(target_triples(target, file, section=_deepest(ranges, target.line)))
    seen: defaultdict[int, int] = defaultdict(int)
    for citation in citations:
        out.extend(citation_triples(citation, file, seen[citation.line]))
        seen[citation.line] += 1
    for tag in tags:
        out.extend(sector_tag_triples(tag, subjects))
    return out


def corpus_batches(
    corpus: Corpus, sector_tags: Iterable[SectorTag] | None = None, tree: _TreeLike | None = None,
    *, only: Container[str] | None = None,
) -> Iterator[tuple[str, list[str]]]:
    """``(key, lines)`` per document (key = doc id), then ``#shared`` (agencies, tree, sectors).

    Records whose document is missing from the corpus come in a batch keyed ``#orphans``.
    ``only``: the ids of the documents whose batches are wanted (the shared ones always are).
    """
    tags = tuple(sector_tags or ()) or corpus.sectors
    known = {doc.id for doc in corpus.documents}
    tasks: defaultdict[str, list[Task]] = defaultdict(list)
    targets: defaultdict[str, list[Target]] = defaultdict(list)
    citations: defaultdict[str, list[Citation]] = defaultdict(list)
    owner: dict[str, str] = {doc.id: doc.id for doc in corpus.documents}
    orphans = "#orphans"
    for task in corpus.tasks:
        key = task.doc_id if task.doc_id in known else orphans
        tasks[key].append(task)
        owner.setdefault(task.id, key)
    for target in corpus.targets:
        key = target.doc_id if target.doc_id in known else orphans
        targets[key].append(target)
        owner.setdefault(target.id, key)
    for citation in corpus.citations:
        citations[citation.doc_id if citation.doc_id in known else orphans].append(citation)
    by_owner: defaultdict[str, list[SectorTag]] = defaultdict(list)
    for tag in tags:
        found = owner.get(tag.subject_id)
        if found is None:
            logger.debug("sector tag of an unknown subject kept out: %s", tag.subject_id)
        else:
            by_owner[found].append(tag)
    context = BatchContext.of(corpus.agencies)
    for doc in corpus.documents:
        doc_tasks, doc_targets = tasks.pop(doc.id, ()), targets.pop(doc.id, ())
        doc_citations, doc_tags = citations.pop(doc.id, ()), by_owner.pop(doc.id, ())
        if only is None or doc.id in only:
            yield doc.id, document_batch(doc, doc_tasks, doc_targets, doc_citations, doc_tags,
                                         context)
    if tasks or targets or citations:
        yield orphans, document_batch(None, tasks.pop(orphans, ()), targets.pop(orphans, ()),
                                      citations.pop(orphans, ()), by_owner.pop(orphans, ()),
                                      context)
    shared: list[str] = []
    for agency in corpus.agencies:
        shared.extend(agency_triples(agency))
    if tree is not None:
        shared.extend(tree_triples(tree))
    shared.extend(sector_scheme_lines())
    yield "#shared", shared


def corpus_lines(
    corpus: Corpus, sector_tags: Iterable[SectorTag] | None = None, tree: _TreeLike | None = None
) -> Iterator[str]:
    """Every N-Triples line of the corpus's graph, unsorted, possibly repeated."""
    for _key, lines in corpus_batches(corpus, sector_tags, tree):
        yield from lines


def ntriples_text(
    corpus: Corpus, sector_tags: Iterable[SectorTag] | None = None, tree: _TreeLike | None = None
) -> str:
    """The graph as sorted, de-duplicated N-Triples (what ``graph.nt`` holds)."""
    # de-duplicated in the order made (dict, not set): see write_sorted
    return "".join(sorted(dict.fromkeys(corpus_lines(corpus, sector_tags, tree))))


#: Lines sorted in memory before a run is written to disk (about 200 MB of strings).
CHUNK_LINES: Final = 1_000_000


def write_sorted(lines: Iterable[str], path: Path, *, chunk: int = CHUNK_LINES) -> int:
    """Write ``lines`` sorted and de-duplicated to ``path``; return the number written.

    At most ``chunk`` lines are held at once: larger inputs are sorted in runs written to
    temporary files next to ``path`` and merged.
    """
    runs: list[Path] = []
    # de-duplicated in the order the lines come (a dict, not a set): a document's lines come
    # together and partly in order, which the sort (Timsort) and the memory caches use; in a
    # set's hash order sorting the real corpus ×8 took 3.5× as long (11 s against 3.1 s), and
    # 11× the time of ×1 instead of 8×
    buffer: dict[str, None] = {}
    tmpdir = Path(tempfile.mkdtemp(prefix=".nt-runs-", dir=path.parent))
    try:
        for line in lines:
            buffer[line] = None
            if len(buffer) >= chunk:
                run = tmpdir / f"run-{len(runs):05d}.nt"
                with run.open("w", encoding="utf-8", newline="\n") as f:
                    f.writelines(sorted(buffer))
                runs.append(run)
                buffer = {}
        count = 0
        with path.open("w", encoding="utf-8", newline="\n") as out:
            if not runs:
                ordered = sorted(buffer)
                out.writelines(ordered)
                return len(ordered)
            files = [run.open(encoding="utf-8", newline="\n") for run in runs]
            try:
                last = None
                for line in heapq.merge(*files, sorted(buffer)):
                    if line != last:
                        out.write(line)
                        count += 1
                        last = line
            finally:
                for f in files:
                    f.close()
        return count
    finally:
        for run in runs:
            run.unlink(missing_ok=True)
        os.rmdir(tmpdir)
