"""The Python API: plain, typed functions over a store, used by the CLI, the tests and notebooks.

Every ``policykg`` command is a thin wrapper over the function of the same name here, with the
same parameters (``policykg who TEXT --limit 5`` is ``who("TEXT", limit=5)``).  Functions take
``store=``: an opened ``Store``, a store folder, or None for the default store
(``$POLICYKG_STORE``, else ``.policykg/``).  Records come back as the dataclasses of
``policykg.records``; nothing is printed.

>>> from policykg import api
>>> store = api.open_store(STORE)
>>> [d.id for d in api.docs(kind="central_policy", store=store)][:3]
['p2-1.1', 'p2-1.2', 'p2-1.3']
>>> api.show("2030年前碳达峰行动方案", store=store).document.doc_number   # inferred
'国发〔2021〕23号'
>>> api.show("国发〔2021〕23号", store=store).document.inferred[0].doc_id   # cited so by
'p3-c9-9.2'
>>> hit = api.who("碳排放权交易", store=store)[0]
>>> hit.task.doc_id, hit.task.participants[:2]
('p3-c3-3.7', ('生态环境部', '司法部'))
>>> api.search("量子科技", store=store)[0].line
28170
>>> api.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?d a eli:LegalResource ; pkg:kind 'speech' }",
...            store=store).values()
[(15,)]

Must not import ``policykg.cli``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from policykg import pipeline
from policykg.errors import Errors, InputError, QueryError
from policykg.records import (
    Agency,
    Citation,
    Corpus,
    Document,
    Relation,
    SectorTag,
    Target,
    Task,
)

if TYPE_CHECKING:
    import networkx as nx
    import rdflib
    import rdflib.query

    from policykg.graph.analysis import AnalysisReport
    from policykg.graph.fulltext import SearchHit
    from policykg.graph.search import Duties, Hit
    from policykg.graph.sparql import QueryResult
    from policykg.graph.store import OpenStore
    from policykg.loaders.source import LineView
    from policykg.lookupindex import TaskIndex

__all__ = [
    "DocumentInfo",
    "Extraction",
    "Link",
    "Store",
    "add",
    "analyze",
    "build",
    "docs",
    "duties",
    "export",
    "extract",
    "networkx_graph",
    "open_store",
    "push",
    "rdf_graph",
    "remove",
    "search",
    "serve",
    "show",
    "site",
    "sparql",
    "sparql_rdflib",
    "targets",
    "text",
    "tree",
    "viz",
    "who",
]

logger = logging.getLogger(__name__)

class Store:
    """An opened store folder; its records and graph are read once, on first use.

    ``built`` says whether opening it built the bundled compilation first (no store was
    there).
    """

    def __init__(self, path: Path, *, built: bool = False) -> None:
        self.path = path
        self.built = built
        self._index: dict[tuple[bool, bool], Corpus] = {}
        self._corpus: Corpus | None = None
        self._citations: tuple[Citation, ...] | None = None
        self._sectors: tuple[SectorTag, ...] | None = None
        self._open: OpenStore | None = None
        self._lookup: TaskIndex | None = None
        self._documented: tuple[Task, ...] | None = None

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def index(self, *, sections: bool = False, targets: bool = False) -> Corpus:
        """The light records: documents (sections on request), agencies, tasks, targets."""
        for (s, t), corpus in self._index.items():
            if s >= sections and t >= targets:
                return corpus
        corpus = pipeline.read_index(self.path, sections=sections, targets=targets)
        self._index[(sections, targets)] = corpus
        return corpus

    def documented_tasks(self) -> tuple[Task, ...]:
        """The tasks of the index's documents (all of them, in a store that holds no orphan),
        one tuple for the store's life: ``who`` ranks it without checking it again."""
        if self._documented is None:
            corpus = self.index()
            keep = {d.id for d in corpus.documents}
            self._documented = tuple(t for t in corpus.tasks if t.doc_id in keep)
        return self._documented

    def lookup(self) -> TaskIndex:
        """The tasks' search index (``records/lookup.txt``; made from the records for a store
        written without it)."""
        if self._lookup is None:
            from policykg.lookupindex import TaskIndex
            from policykg.recordio import read_lookup

            found = read_lookup(self.path)
            if found is None:
                corpus = self.index()
                found = TaskIndex.of_tasks(corpus.tasks, [d.id for d in corpus.documents],
                                           grams=True)
            self._lookup = found
        return self._lookup

    def corpus(self) -> Corpus:
        """Every record, paragraphs included (``records/corpus.json``)."""
        if self._corpus is None:
            self._corpus = pipeline.read_corpus(self.path)
        return self._corpus

    def citations(self) -> tuple[Citation, ...]:
        """The citations (``records/citations.jsonl``)."""
        if self._citations is None:
            if self._corpus is not None:
                self._citations = self._corpus.citations
            else:
                from policykg.recordio import read_records

                self._citations = tuple(
                    Citation(**{**row, "relation": Relation(row["relation"])})
                    for row in read_records(self.path, "citations")
                )
        return self._citations

    def sector_tags(self) -> tuple[SectorTag, ...]:
        """The sector tags of documents, tasks and targets."""
        if self._sectors is None:
            from policykg.recordio import read_records

            self._sectors = tuple(
                SectorTag(subject_id=r["subject_id"], sector=r["sector"],
                          terms=tuple(r["terms"]))
                for r in read_records(self.path, "sectors")
            )
        return self._sectors

    def rdf(self) -> OpenStore:
        """The Oxigraph store, opened read-only (``graph.store.open_store``)."""
        if self._open is None:
            from policykg.graph.store import open_store as _open

            self._open = _open(self.path)
        return self._open


def open_store(path: str | os.PathLike[str] | Store | None = None, *,
               build_missing: bool = True) -> Store:
    """Open a store folder (default ``$POLICYKG_STORE``, else ``.policykg/``).

    Args:
        path: the store folder, or an already opened ``Store`` (returned as it is).
        build_missing: at the default location (no ``path``, no ``$POLICYKG_STORE``), build
            the bundled compilation there when no store is there yet.

    Raises:
        StoreError: no store in a folder named by ``path`` or ``$POLICYKG_STORE`` (or at
            the default location with ``build_missing`` False), or a damaged store.
    """
    if isinstance(path, Store):
        return path
    named = pipeline.explicit_store(None if path is None else str(path))
    if named is not None:
        # a store the user names must exist: no bundled build into someone's folder
        return Store(pipeline.check_store(named), built=False)
    folder = pipeline.default_store()
    built = pipeline.ensure_store(folder) if build_missing else False
    return Store(pipeline.check_store(folder), built=built)


def _store(store: str | os.PathLike[str] | Store | None) -> Store:
    return open_store(store)


# ------------------------------------------------------------------ build and extract


def build(inputs: Sequence[str | os.PathLike[str]] = (), *,
          store: str | os.PathLike[str] | None = None, validate: bool = True,
          progress: pipeline.Progress | None = None, jobs: int | None = None,
          allow_invalid: bool = False) -> pipeline.BuildResult:
    """Parse ``inputs`` (default: the bundled compilation), validate, write the store.

    Files unchanged since the store's last build come from its cache; ``jobs`` processes
    (default: every core) read the others; a graph that does not conform replaces a
    conforming store only with ``allow_invalid``.

    ``progress(done, total, current_file)`` is called as files are read.
    """
    paths = [Path(p) for p in inputs] or [pipeline.bundled_input()]
    folder = Path(store) if store is not None else pipeline.default_store()
    result = pipeline.build_store(paths, folder, validate=validate, progress=progress,
                                  jobs=jobs, allow_invalid=allow_invalid)
    # once per machine (and per new agency), so that even the first 'who' or 'duties' is fast
    pipeline.prepare_search(result.corpus.agencies)
    return result


def add(inputs: Sequence[str | os.PathLike[str]], *,
        store: str | os.PathLike[str] | None = None, validate: bool = True,
        progress: pipeline.Progress | None = None, jobs: int | None = None,
        allow_invalid: bool = False) -> pipeline.BuildResult:
    """Add input files to an existing store (a file of the same name is replaced).

    The store's other files come from its cache (their originals are not needed); citations
    are resolved again over all documents.  Atomic, like ``build``.
    """
    folder = Path(store) if store is not None else pipeline.default_store()
    result = pipeline.add_to_store([Path(p) for p in inputs], folder, validate=validate,
                                   jobs=jobs, allow_invalid=allow_invalid, progress=progress)
    pipeline.prepare_search(result.corpus.agencies)
    return result


def remove(doc_ids: Sequence[str], *, store: str | os.PathLike[str] | None = None,
           validate: bool = True, allow_invalid: bool = False) -> pipeline.BuildResult:
    """Remove documents (by id) from an existing store; atomic, like ``build``."""
    folder = Path(store) if store is not None else pipeline.default_store()
    return pipeline.remove_from_store(list(doc_ids), folder, validate=validate,
                                      allow_invalid=allow_invalid)


EXTRACT_KINDS = ("documents", "sections", "tasks", "agencies", "targets", "citations", "problems")


@dataclass(frozen=True, slots=True, kw_only=True)
class Extraction:
    """What ``extract`` read: one kind of record as JSON-ready dicts, and the whole corpus
    (``corpus.summary`` accounts for every input file)."""

    rows: list[dict[str, Any]]
    corpus: Corpus


def extract(input: str | os.PathLike[str], *, kind: str = "documents",
            progress: pipeline.Progress | None = None) -> Extraction:
    """Parse a file or folder and return one kind of record as JSON-ready dicts.

    Raises:
        InputError: the input cannot be read, or ``kind`` is unknown.
    """
    if kind not in EXTRACT_KINDS:
        raise InputError(Errors.R006.format(kind=kind, kinds=", ".join(EXTRACT_KINDS)))
    corpus = pipeline.load_corpus([Path(input)], progress)
    return Extraction(rows=_rows(corpus, kind), corpus=corpus)


def _rows(corpus: Corpus, kind: str) -> list[dict[str, Any]]:
    if kind == "documents":
        return [d.to_json() for d in corpus.documents]
    if kind == "sections":
        return [
            {"doc_id": s.doc_id, "id": s.id, "marker": s.marker, "level": s.level,
             "heading": s.heading, "path": list(s.path), "start_line": s.start_line,
             "end_line": s.end_line}
            for d in corpus.documents for s in d.sections
        ]
    records: tuple[Any, ...] = getattr(corpus, kind)
    return [r.to_json() for r in records]


def text(file: str | os.PathLike[str], *, kept: bool = False,
         all: bool = False) -> list[LineView]:
    """A ``.txt`` or ``.pdf`` file's lines as the loaders see them: page, number, text, and
    what the loaders make of each (kept, blank, page furniture, repeated …).

    Args:
        file: the file.
        kept: only the lines the loaders keep.
        all: blank lines too.
    """
    import dataclasses

    from policykg.loaders.documents import read_file
    from policykg.loaders.source import InputFile, list_lines

    path = Path(file)
    views = list_lines(path)
    try:  # a document printed again in the file: the loaders drop its later copies (L006)
        problems = read_file(InputFile(path=path, source_file=path.name)).problems
    except InputError:  # not a policy: its lines are still shown
        problems = ()
    repeated = {n for p in problems if p.code == Errors.L006.code
                for n in range(p.span.start_line, p.span.end_line + 1)}
    views = [dataclasses.replace(v, status="repeated") if not v.status and v.number in repeated
             else v for v in views]
    return [
        v for v in views
        if (all or v.status != "blank") and not (kept and v.status and v.status != "blank")
    ]


# ------------------------------------------------------------------ documents


def docs(*, store: str | os.PathLike[str] | Store | None = None, kind: str | None = None,
         genre: str | None = None, level: str | None = None, jurisdiction: str | None = None,
         issuer: str | None = None, since: str | None = None, until: str | None = None,
         text: str | None = None) -> list[Document]:
    """The documents of the store, in corpus order, filtered.

    Args:
        store: the store (see ``open_store``).
        kind: ``DocKind`` value (``central_policy`` …).
        genre: the document's genre.
        level: the issuer's level.
        jurisdiction: a fragment of the issuing jurisdiction (江苏 for 江苏省).
        issuer: a fragment of an issuer's name.
        since: earliest date (``2021``, ``2021-10`` or ``2021-10-24``), inclusive.
        until: latest date, inclusive.
        text: a fragment of the title or 文号.

    Raises:
        QueryError: a date bound is not a date.
    """
    from policykg.graph.lookup import DocumentFilter

    wanted = DocumentFilter(kind=kind, genre=genre, level=level, jurisdiction=jurisdiction,
                            issuer=issuer, since=since, until=until, text=text)
    return wanted.apply(_store(store).index().documents)


def document(ref: str, *, store: str | os.PathLike[str] | Store | None = None) -> Document:
    """The one document ``ref`` names: its id, its 文号, its title or a fragment of it.

    Raises:
        QueryError: no document matches.
        AmbiguousError: several match (``.candidates`` lists them; never guessed).
    """
    from policykg.graph.lookup import resolve_document

    return resolve_document(ref, _store(store).index().documents)


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """A reference between two documents: one citation edge, with where it is written."""

    relation: str  # cites, implements, notice_of, attached_to
    doc_id: str | None  # the other document, None for a policy outside the store
    title: str
    line: int | None  # the citing line (in the citing document's file)
    count: int = 1  # how many mentions the edge gathers
    page: int | None = None  # the citing line's PDF page (None for a text file)


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentInfo:
    """One document with its outline, counts and links (``policykg show``)."""

    document: Document
    tasks: int
    targets: int
    cites: tuple[Link, ...]
    implements: tuple[Link, ...]
    cited_by: tuple[Link, ...]
    implemented_by: tuple[Link, ...]
    notice: Link | None  # the covering notice that publishes this document
    attachments: tuple[Link, ...]  # the documents this notice publishes


def _links(citations: Sequence[Citation], titles: dict[str, str], *, outgoing: bool,
           relation: Relation) -> tuple[Link, ...]:
    edges: dict[tuple[str | None, str], list[Citation]] = {}
    for c in citations:
        if c.relation != relation:
            continue
        if outgoing:
            key = (c.cited_doc_id, c.cited_doc_id or c.external_title or c.cited_title)
        else:
            key = (c.doc_id, c.doc_id)
        edges.setdefault(key, []).append(c)
    out = []
    for (doc_id, title), mentions in edges.items():
        first = min(mentions, key=lambda m: m.line)
        out.append(Link(relation=str(relation), doc_id=doc_id,
                        title=titles.get(doc_id or "", title) if doc_id else title,
                        line=first.line, count=len(mentions), page=first.page))
    return tuple(sorted(out, key=lambda x: (x.line or 0, x.title)))


def show(doc: str, *, store: str | os.PathLike[str] | Store | None = None) -> DocumentInfo:
    """One document: metadata, outline, counts, cites / cited-by / implements /
    implemented-by and notice–附件 links.

    Args:
        doc: the document's id, 文号, title or a fragment of the title.
        store: the store.

    Raises:
        QueryError: no document matches.
        AmbiguousError: several match (``.candidates``).
    """
    s = _store(store)
    corpus = s.index(sections=True, targets=True)
    found = document(doc, store=s)
    found = next(d for d in corpus.documents if d.id == found.id)
    titles = {d.id: d.title for d in corpus.documents}
    citations = s.citations()
    mine = [c for c in citations if c.doc_id == found.id]
    theirs = [c for c in citations if c.cited_doc_id == found.id]
    notice_id = getattr(found, "attached_to", None)
    attached = getattr(found, "notice_of", None) or ()
    if isinstance(attached, str):
        attached = (attached,)
    return DocumentInfo(
        document=found,
        tasks=sum(t.doc_id == found.id for t in corpus.tasks),
        targets=sum(t.doc_id == found.id for t in corpus.targets),
        cites=_links(mine, titles, outgoing=True, relation=Relation.CITES),
        implements=_links(mine, titles, outgoing=True, relation=Relation.IMPLEMENTS),
        cited_by=_links(theirs, titles, outgoing=False, relation=Relation.CITES),
        implemented_by=_links(theirs, titles, outgoing=False, relation=Relation.IMPLEMENTS),
        notice=None if not notice_id else Link(relation="attached_to", doc_id=notice_id,
                                               title=titles.get(notice_id, notice_id),
                                               line=None),
        attachments=tuple(Link(relation="notice_of", doc_id=a, title=titles.get(a, a),
                               line=None) for a in attached),
    )


# ------------------------------------------------------------------ who, duties, search


def who(text: str, *, store: str | os.PathLike[str] | Store | None = None, limit: int = 10,
        doc: str | None = None, kind: str | None = None, genre: str | None = None,
        level: str | None = None, jurisdiction: str | None = None, since: str | None = None,
        until: str | None = None) -> list[Hit]:
    """The tasks matching ``text``, ranked, each with who leads and who takes part.

    The ranking is ``search``'s: phrase matches first, then more of the query's words, then
    BM25; a query of several words needs most of them (量子计算 never matches on 计算 alone).
    Filters apply to the task's document; ``jurisdiction`` (a fragment: 江西) and ``level``
    (central, provincial, municipal, county) to the jurisdiction its document was read in.
    An agency named in the query, by any alias with or without its place (江西省发改委 节能,
    能源局 储能), keeps the tasks it leads or joins and the other words rank them.
    """
    from policykg.graph.lookup import DocumentFilter
    from policykg.graph.search import Hit
    from policykg.graph.search import who as _who
    from policykg.loaders.nlp import segment

    opened = _store(store)
    corpus = opened.index()
    wanted = DocumentFilter(doc=doc, kind=kind, genre=genre, since=since, until=until)
    documents: Sequence[Document]
    tasks: Sequence[Task]
    if wanted or jurisdiction is not None or level is not None:
        documents = wanted.apply(corpus.documents) if wanted else list(corpus.documents)
        keep = {d.id for d in documents}
        tasks = [t for t in _tasks_in(corpus.tasks, jurisdiction, level) if t.doc_id in keep]
    else:
        documents, tasks = corpus.documents, opened.documented_tasks()
    words = segment(text)
    names, rest = _agency_words(words, jurisdiction)
    if names:
        tasks = [t for t in tasks if names & {*t.lead, *t.participants}]
        if not rest:
            titles = {d.id: d.title for d in documents}
            chosen = tasks if limit <= 0 else tasks[:limit]
            return [Hit(task=t, score=1.0, title=titles.get(t.doc_id, "")) for t in chosen]
        return _who(rest, tasks, documents, limit=limit, query="".join(rest),
                    index=opened.lookup())
    return _who(words, tasks, documents, limit=limit, query=text, index=opened.lookup())


def _agency_words(words: Sequence[str],
                  jurisdiction: str | None) -> tuple[set[str], list[str]]:
    """The names (with former names) of an agency a query's words name, and the other words.

    The longest run of adjacent words that names an agency counts (江西省 + 发改委).
    """
    from policykg.loaders.agencies import default_registry
    from policykg.loaders.bureaus import looks_like_agency

    n = len(words)
    if not any(looks_like_agency("".join(words[:k + 1])) or looks_like_agency(w)
               for k, w in enumerate(words)):
        return set(), list(words)
    registry = default_registry()
    place = registry.jurisdiction(jurisdiction)
    where = place.id if place is not None else None
    for size in range(n, 0, -1):
        for start in range(n - size + 1):
            phrase = "".join(words[start:start + size]).strip()
            if len(phrase) < 3 or not looks_like_agency(phrase):
                continue
            found = registry.query(phrase, where)
            if found is not None:
                names = {a.name for a in registry.lineage(found)}
                rest = [w for w in (*words[:start], *words[start + size:]) if w.strip()]
                return names, rest
    return set(), list(words)


def duties(agency: str, *, store: str | os.PathLike[str] | Store | None = None,
           lead_only: bool = False, jurisdiction: str | None = None,
           level: str | None = None) -> Duties:
    """Every task an agency leads or joins, grouped by document.

    ``agency`` is an id, a canonical name or any alias, with or without its jurisdiction
    (江西省发改委, 宁波市发展改革委, 交通部 as 交通运输部's former name; 能源局 is 国家能源局
    unless ``jurisdiction`` names a place: then it is that place's 能源局).
    ``jurisdiction`` (a fragment: 江西) and ``level`` (central, provincial, municipal, county)
    keep the tasks of documents of that jurisdiction or level.

    Raises:
        QueryError: no agency, or several, go by that name.
    """
    from policykg.graph.search import duties as _duties

    corpus = _store(store).index()
    found, names = _agency_named(agency, corpus.agencies, jurisdiction)
    tasks = _tasks_in(corpus.tasks, jurisdiction, level)
    return _duties(found, tasks, corpus.documents, lead_only=lead_only, also=names)


def _agency_named(text: str, agencies: Sequence[Agency],
                  jurisdiction: str | None) -> tuple[Agency, tuple[str, ...]]:
    """The agency a query names, and the names of its lineage (former names)."""
    from policykg.graph.lookup import normalize
    from policykg.graph.search import resolve_agency
    from policykg.loaders.agencies import default_registry

    registry = default_registry()
    place = registry.jurisdiction(jurisdiction)
    found = registry.query(text, place.id if place is not None else None)
    if found is None:
        local = [a for a in agencies if jurisdiction and normalize(jurisdiction) in
                 (a.jurisdiction or "")]
        found = resolve_agency(text, local or agencies)
    lineage = registry.lineage(found)
    by_id = {a.id: a for a in agencies}
    shown = by_id.get(found.id) or found
    return shown, tuple(a.name for a in lineage if a.id != found.id)


def _tasks_in(tasks: Sequence[Task], jurisdiction: str | None,
              level: str | None) -> Sequence[Task]:
    """The tasks of documents of a jurisdiction (a fragment) and level."""
    if jurisdiction is None and level is None:
        return tasks
    from policykg.graph.lookup import normalize
    from policykg.loaders.jurisdictions import admin_map

    amap = admin_map()
    levels: dict[str | None, str] = {}
    out = []
    for t in tasks:
        if jurisdiction is not None and normalize(jurisdiction) not in (t.jurisdiction or ""):
            continue
        if level is not None:
            if t.jurisdiction not in levels:
                d = amap.lookup(t.jurisdiction)
                levels[t.jurisdiction] = str(d.level) if d is not None else "central"
            if levels[t.jurisdiction] != level:
                continue
        out.append(t)
    return out


def search(text: str, *, store: str | os.PathLike[str] | Store | None = None,
           limit: int = 20, doc: str | None = None, kind: str | None = None,
           genre: str | None = None, level: str | None = None,
           jurisdiction: str | None = None, since: str | None = None,
           until: str | None = None) -> list[SearchHit]:
    """Full-text search over every paragraph of every document.

    The query is segmented with jieba; hits are ranked phrase matches first, then by how
    many of the query's words they hold, then BM25; a query of several words needs most of
    them.  Each hit names its document, section, page and line, and where the words are.

    Raises:
        QueryError: nothing to search for, or a filter names no document.
    """
    from policykg.graph.fulltext import query_terms
    from policykg.graph.fulltext import search as _search
    from policykg.graph.lookup import DocumentFilter
    from policykg.loaders.nlp import segment

    tokens = segment(text)
    if not query_terms(tokens):
        raise QueryError(Errors.Q008.format(text=text))
    s = _store(store)
    wanted = DocumentFilter(doc=doc, kind=kind, genre=genre, level=level,
                            jurisdiction=jurisdiction, since=since, until=until)
    corpus = s.corpus()
    documents = wanted.apply(corpus.documents) if wanted else list(corpus.documents)
    return _search(text, tokens, documents, limit=limit)


# ------------------------------------------------------------------ targets and tree


def targets(*, store: str | os.PathLike[str] | Store | None = None, year: int | None = None,
            sector: str | None = None, indicator: str | None = None) -> list[Target]:
    """Quantitative targets and dated milestones, filtered.

    Args:
        store: the store.
        year: the target year.
        sector: a sector's slug, Chinese label, English label or a unique fragment of one
            (交通, Transport, transport); narrower sectors are included.
        indicator: words that must all occur in the indicator or the sentence.

    Raises:
        QueryError: ``sector`` names no sector, or several.
    """
    s = _store(store)
    corpus = s.index(targets=True)
    slugs: set[str] | None = None
    if sector:
        from policykg.graph.lookup import resolve_sectors
        from policykg.graph.sectors import load_sectors

        slugs = resolve_sectors(sector, load_sectors())
    by_subject: dict[str, set[str]] = {}
    if slugs is not None:
        for tag in s.sector_tags():
            by_subject.setdefault(tag.subject_id, set()).add(tag.sector)
    words = indicator.split() if indicator else []
    return [
        t for t in corpus.targets
        if (year is None or t.year == year)
        and (slugs is None or by_subject.get(t.id, set()) & slugs)
        and all(w in t.indicator or w in t.text for w in words)
    ]


def tree(*, store: str | os.PathLike[str] | Store | None = None,
         jurisdiction: str | None = None) -> dict[str, Any]:
    """The "1+N" policy tree as nested dicts (``doc_id``, ``label``, ``date``, ``reason``,
    ``basis``, ``in_system``, ``jurisdiction``, ``children``), or one jurisdiction's local
    system (a name or a unique fragment: 江苏).

    Raises:
        InputError: no local system of that jurisdiction in the tree.
    """
    data: dict[str, Any] = pipeline.read_tree(_store(store).path)
    if jurisdiction:
        from policykg.graph.tree import jurisdiction_json

        found = jurisdiction_json(data, jurisdiction)
        if found is None:
            raise InputError(Errors.Q020.format(jurisdiction=jurisdiction))
        return found
    return data


# ------------------------------------------------------------------ the graph


def sparql(query: str | None = None, *, store: str | os.PathLike[str] | Store | None = None,
           file: str | os.PathLike[str] | None = None,
           allow_federation: bool = False) -> QueryResult:
    """Run a SPARQL query (the project's prefixes predeclared) on the store's Oxigraph.

    The result's ``rows`` hold rdflib terms; ``values()`` gives Python values.  ``SERVICE``
    (a call to another server) is refused unless ``allow_federation``.

    Raises:
        QueryError: no query, an unreadable file, a malformed, over-deep or federated query.
    """
    from policykg.graph.sparql import run_query

    return run_query(_store(store).rdf(), _query_text(query, file),
                     allow_federation=allow_federation)


def _query_text(query: str | None, file: str | os.PathLike[str] | None) -> str:
    if file is not None:
        try:
            return Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise QueryError(Errors.Q007.format(path=file, reason=e)) from e
    if not query:
        raise QueryError(Errors.Q006)
    return query


def sparql_rdflib(query: str, *,
                  store: str | os.PathLike[str] | Store | None = None) -> rdflib.query.Result:
    """Run a SPARQL query through rdflib's API (on Oxigraph, via oxrdflib); an rdflib Result."""
    from policykg.ontology import PREFIXES

    return rdf_graph(store=store).query(query, initNs=dict(PREFIXES))


def rdf_graph(*, store: str | os.PathLike[str] | Store | None = None) -> rdflib.Graph:
    """The store's RDF graph as an ``rdflib.Graph`` backed by the on-disk Oxigraph store."""
    return _store(store).rdf().graph()


NetworkKind = Literal["citations", "responsibility", "coresponsibility", "tree"]


def networkx_graph(kind: str = "citations", *,
                   store: str | os.PathLike[str] | Store | None = None,
                   agency: str | None = None) -> nx.Graph[str]:
    """One networkx view of the store (attributes: ARCHITECTURE.md).

    Args:
        kind: ``citations``, ``responsibility``, ``coresponsibility``, ``tree``, or
            ``agency`` (one agency's ego network; give ``agency``).
        store: the store.
        agency: the agency of the ego network (any alias).
    """
    from policykg.graph.views import agency_ego, to_networkx

    corpus = _store(store).corpus()
    if kind == "agency":
        if not agency:
            raise QueryError(Errors.Q019_VIEW)
        return agency_ego(corpus, agency)
    return to_networkx(corpus, kind, sector_tags=corpus.sectors)


def analyze(*, store: str | os.PathLike[str] | Store | None = None,
            top: int = 10) -> AnalysisReport:
    """Busiest agencies, brokers, most-cited and orphan policies."""
    from policykg.graph.analysis import analyze_corpus

    return analyze_corpus(_store(store).corpus(), top=top)


def export(format: str, output: str | os.PathLike[str], *,
           store: str | os.PathLike[str] | Store | None = None) -> list[Path]:
    """Export the graph (turtle, nt, jsonld, graphml, csv); return the files written."""
    from policykg.graph.export import export as _export

    return _export(_store(store).rdf(), format, Path(output))


def serve(*, store: str | os.PathLike[str] | Store | None = None, host: str = "127.0.0.1",
          port: int = 7878, timeout: float = 60.0, max_concurrent: int | None = None,
          allow_federation: bool = False,
          on_ready: Callable[[str], None] | None = None) -> int:
    """Serve the store read-only over the SPARQL 1.1 Protocol until interrupted.

    Each query runs at most ``timeout`` seconds, ``max_concurrent`` at once (default: the
    cores); ``SERVICE`` is refused unless ``allow_federation``.  ``on_ready(url)`` is called
    once the store is open and the port bound.

    Raises:
        StoreError: no store, a damaged store, or the port cannot be bound.
    """
    from policykg.graph.endpoint import Limits
    from policykg.graph.endpoint import serve as _serve

    limits = Limits(timeout_s=timeout, max_concurrent=max_concurrent or os.cpu_count() or 2,
                    allow_federation=allow_federation)
    return _serve(_store(store).path, host=host, port=port, limits=limits, on_ready=on_ready)


def push(endpoint: str, *, store: str | os.PathLike[str] | Store | None = None,
         graph: str | None = None, timeout: float = 120.0,
         deadline: float | None = 3600.0) -> int:
    """Load the graph into an external SPARQL 1.1 server; return the triples sent.

    One request may take ``timeout`` seconds (connect to last byte), the whole push
    ``deadline`` seconds (None: unbounded).

    Raises:
        StoreError: the server cannot be reached, refuses, fails or is too slow.
    """
    from policykg.graph.push import push as _push
    from policykg.graph.store import ntriples_path

    return _push(ntriples_path(_store(store).path), endpoint, graph_iri=graph,
                 timeout=timeout, deadline=deadline)


def site(output: str | os.PathLike[str], *,
         store: str | os.PathLike[str] | Store | None = None) -> list[Path]:
    """Write the static, offline site (document list, document and agency pages, views).

    Returns:
        The written files, relative to ``output``.
    """
    return pipeline.write_site(_store(store).path, Path(output))


def viz(kind: str, output: str | os.PathLike[str], *, name: str | None = None,
        store: str | os.PathLike[str] | Store | None = None) -> list[Path]:
    """Write HTML views: one view to a file, or ``all`` into a folder."""
    if kind == "agency" and not name:
        raise InputError(Errors.Q019)
    return pipeline.write_views(_store(store).path, kind, name, Path(output))
