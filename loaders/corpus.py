"""Run every extractor over loaded documents and gather one ``Corpus``.

The work splits in two: what depends on one input file alone (``read_file`` then
``extract``: documents, issuers, tasks, targets; the unit of the build cache and of the
process pool) and what needs them all (``assemble``: ids unique across files, repeated
documents, citations, the agencies named).  ``load`` runs both in one process.
Must not import rdflib, networkx, pyvis or anything from ``graph``/``viz``.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import logging
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policykg.errors import InputError
from policykg.loaders.source import InputFile, Progress
from policykg.records import (
    Agency,
    BuildSummary,
    Citation,
    Corpus,
    Document,
    LeadBasis,
    Problem,
    Target,
    Task,
    page_at,
)

if TYPE_CHECKING:
    from policykg.loaders.agencies import Registry
    from policykg.loaders.documents import LoadedDocuments
    from policykg.loaders.inference import Evidence

__all__ = ["Extracted", "FileRecords", "assemble", "extract", "extractor_version",
           "file_records", "load", "load_file", "registry"]

logger = logging.getLogger(__name__)


def _open_world(tasks: list[Task], doc: Document, registry: Registry) -> list[Task]:
    """Keep the names no template knows as agencies of the document's jurisdiction.

    A name left in ``Task.unresolved`` that looks like a body's (市城市管理监督局,
    深圳排放权交易所) becomes an agency flagged ``unresolved`` in the document's jurisdiction,
    never dropped and never mapped elsewhere; it leads only where the annotation marks it
    (X牵头), else it takes part.  The printed name stays in ``Task.unresolved``.
    """
    from policykg.loaders.agencies import document_jurisdiction

    j = document_jurisdiction(doc, registry)
    jid = j.id if j else None
    home = registry.division(jid)
    # a joint document of two jurisdictions (重庆市 and 四川省 offices): 省… means the other's
    others = [d.jurisdiction for d in (registry.get(i) for i in doc.issuer_ids) if d]
    others += [i for i in doc.issuers if registry.division(i.split("人民政府")[0])]
    others = [o for o in dict.fromkeys(others) if o and o != (j.name if j else None)]
    body: Agency | None = None
    out = []
    for task in tasks:
        lead, participants = list(task.lead), list(task.participants)
        collective = list(task.collective)
        seen: dict[str, int] = {}
        for printed in task.unresolved:
            nth = seen[printed] = seen.get(printed, -1) + 1
            # a name left glued to a connective (省海洋局等参与, 生态环境厅牵头): the name, with
            # the role the connective gives (牵头 leads; 参与, 配合 and 负责 take part)
            glued = _CONNECTIVE.match(printed)
            name = glued.group("name") if glued else printed
            if glued:
                agency = registry.resolve(name, jid, doc.date)
                if agency is not None:
                    target = lead if "牵头" in glued.group("tail") else participants
                    if agency.name not in lead and agency.name not in participants:
                        target.append(agency.name)
                    continue
            agency = _shared_suffix(name, task.raw, registry, jid, nth)
            if agency is not None:
                # 市、区机管局: the 区 body's role is the 市 body's, else it takes part
                nxt = _next_item(name, task.raw, nth)
                peer = registry.resolve(nxt, jid) if nxt else None
                target = lead if peer is not None and peer.name in lead else participants
                if agency.name not in lead and agency.name not in participants:
                    target.append(agency.name)
                continue
            for other in others:
                agency = registry.resolve(name, other, doc.date)
                if agency is not None:
                    break
            if agency is None and _UNIT.search(name):
                body = body or _issuing_body(doc, registry, jid)
                if body is not None:
                    agency = registry.unit(body, name)
            if agency is None and home is not None and home.rank != "county" and (
                _LOWER.match(name)
            ):
                # 区机管局 in a city's plan: each district's bureau, a group
                collective.append(name)
                continue
            if agency is None:
                agency = registry.resolve(name, jid, doc.date, open_world=True)
            if agency is None or agency.name in lead or agency.name in participants:
                continue
            # lead where the text marks it or the document's stated convention makes it
            marked = printed in task.unresolved_lead or re.search(
                re.escape(name) + r"[^、，,；;：:）)]{0,12}?牵头", task.raw)
            (lead if marked else participants).append(agency.name)
        if (lead, participants, collective) != (
                list(task.lead), list(task.participants), list(task.collective)):
            task = dataclasses.replace(task, lead=tuple(lead), participants=tuple(participants),
                                       collective=tuple(collective),
                                       lead_basis=(task.lead_basis or LeadBasis.MARKED)
                                       if lead else None)
        out.append(task)
    return out


# An internal unit of the issuing department (气候处, 宣教中心 in a 生态环境厅 plan).
_UNIT = re.compile(r"^[\u4e00-\u9fff]{1,10}(?:处|室|中心)$")
# A relative name of the level below the document's (区财政局 in a city plan): every one of them.
_LOWER = re.compile(r"^(?:区|县|县区|区县|县市区)(?!域)[\u4e00-\u9fff]{2,}")


# A listed name with the connective the grammar left on it (省乡村振兴局等按职责分工负责).
_CONNECTIVE = re.compile(
    r"^(?P<name>[\u4e00-\u9fff（）()〔〕]{2,30}?)(?P<tail>等?(?:按(?:照)?职(?:责|能)分工负责|按分工负责|"
    r"牵头负责|牵头|参与|配合|负责))$")

# Where a listed name ends in an annotation.
_ITEM_END = re.compile(r"[、，,；;）)]|等|按|牵头|负责|配合")


def _next_item(name: str, raw: str, nth: int = 0) -> str | None:
    """The name printed right after the ``nth`` ``name、`` in an annotation, or None."""
    at = -1
    for _ in range(nth + 1):
        at = raw.find(name + "、", at + 1)
        if at < 0:
            return None
    rest = raw[at + len(name) + 1:]
    end = _ITEM_END.search(rest)
    return rest[: end.start()] if end else rest


def _shared_suffix(name: str, raw: str, registry: Registry, jid: str | None,
                   nth: int = 0) -> Agency | None:
    """``甲、乙市人民政府`` / ``市、区机管局``: a bare place takes the next name's suffix.

    ``name`` is a relative prefix (市, 区) or a division's name printed alone before ``、``;
    the next name is a place and a body (区机管局): the body with ``name``'s place is meant.
    """
    places = ("省", "市", "区", "县", "州", "盟", "旗", "自治区")
    if name not in places and registry.division(name) is None:
        return None
    nxt = _next_item(name, raw, nth)
    if not nxt:
        return None
    cut = next((len(p) for p in sorted(places, key=len, reverse=True) if nxt.startswith(p)), 0)
    if not cut:
        d = registry.division(nxt)
        if d is not None:
            return None  # two places, no body
        for k in range(len(nxt) - 2, 1, -1):
            if registry.division(nxt[:k]) is not None:
                cut = k
                break
    suffix = nxt[cut:]
    if not cut or len(suffix) < 2:
        return None
    return registry.resolve(name + suffix, jid)


def _issuing_body(doc: Document, registry: Registry, jid: str | None) -> Agency | None:
    """The one department that issues the document (not a people's government), or None."""
    if len(doc.issuer_ids) == 1:
        a = registry.get(doc.issuer_ids[0])
        if a is not None and not a.id.endswith("-gov"):
            return a
    head = re.sub(r"\s+", " ", doc.title).split(" ")[0]
    for k in range(min(len(head), 20), 2, -1):
        a = registry.resolve(head[:k], jid)
        if a is not None:
            return a if not a.id.endswith("-gov") else None
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Extracted:
    """What the extractors found in one document."""

    issuer_ids: tuple[str, ...]
    tasks: tuple[Task, ...]
    targets: tuple[Target, ...]
    problems: tuple[Problem, ...]
    #: the agencies it names, with their parents: made from templates or the open world in
    #: this process's registry, they travel with the records (pool workers, the cache)
    agencies: tuple[Agency, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class FileRecords:
    """The records of one input file before ``assemble``; ids unique within the file only.

    ``corpus.problems`` holds the file's loading problems first (``load_problems`` of
    them), then the extractors' problems.
    """

    corpus: Corpus
    load_problems: int
    #: For a PDF, the first line number of each of its pages.
    page_lines: tuple[int, ...] = ()


@functools.cache
def registry() -> Registry:
    """The agency registry, loaded once per process (and shared by forked workers)."""
    from policykg.loaders.agencies import load_registry

    return load_registry()


def extract(docs: Sequence[Document], source: Path | None = None) -> list[Extracted]:
    """Resolve issuers and find tasks and targets in each document (in order).

    ``source``: the file the documents come from; a PDF's responsibility tables are read
    from its cells.
    """
    from policykg.loaders.issuers import resolve_issuers
    from policykg.loaders.tables import TableRow, pdf_tables
    from policykg.loaders.targets import find_targets
    from policykg.loaders.tasks import find_tasks, label_roles

    reg = registry()
    out: list[Extracted] = []
    tables = None
    if source is not None and source.suffix.lower() == ".pdf" and docs:
        tables = pdf_tables(source, label_roles())  # once per file (or chunk of it)
    for doc in docs:
        # each document's agencies are made from its own words: the records of a file must
        # not depend on what this process (a pool worker, an earlier build) read before
        reg.forget_made()
        issuer_ids, issuer_problems = resolve_issuers(doc, reg)
        doc = dataclasses.replace(doc, issuer_ids=tuple(issuer_ids))
        rows: list[TableRow] = []
        page_lines: dict[int, tuple[int, int]] = {}
        if tables is not None:
            all_rows, page_lines = tables
            rows = [r for r in all_rows
                    if doc.start_line <= page_lines[r.page][1]
                    and page_lines[r.page][0] <= doc.end_line]
        found_tasks, task_problems = find_tasks(doc, reg, table_rows=rows,
                                                page_lines=page_lines)
        found_tasks = _open_world(found_tasks, doc, reg)
        found_targets, target_problems = find_targets(doc)
        named = [n for t in found_tasks for n in (*t.lead, *t.participants)] + list(issuer_ids)
        out.append(Extracted(
            issuer_ids=tuple(issuer_ids), tasks=tuple(found_tasks),
            targets=tuple(found_targets),
            problems=(*issuer_problems, *task_problems, *target_problems),
            agencies=_made_agencies(reg, named)))
    return out


def _made_agencies(reg: Registry, named: Sequence[str]) -> tuple[Agency, ...]:
    """The agencies of ``named`` the registry made (templates, open world), with the made
    parents they hang from.

    Only what exists already: looking an agency up may load the bureau templates, and
    resolution must not depend on when that happened.
    """
    from policykg.loaders.agencies import with_ancestors

    made = {a.id: a for a in reg.made()}
    if not made:
        return ()
    by_name = {a.name: a for a in made.values()}
    return with_ancestors(lambda k: made.get(k) or by_name.get(k), named)


def file_records(loaded: LoadedDocuments, extracted: Sequence[Extracted]) -> FileRecords:
    """The records of one file from its loaded documents and what ``extract`` found in them."""
    documents = tuple(dataclasses.replace(d, issuer_ids=e.issuer_ids)
                      for d, e in zip(loaded.documents, extracted, strict=True))
    agencies = {a.id: a for e in extracted for a in e.agencies}
    pages = next(iter(loaded.page_lines.values()), ())
    tasks = tuple(t for e in extracted for t in e.tasks)
    targets = tuple(t for e in extracted for t in e.targets)
    if pages:  # a PDF: each fact names the page of its first line
        tasks = tuple(dataclasses.replace(t, page=page_at(pages, t.start_line)) for t in tasks)
        targets = tuple(dataclasses.replace(t, page=page_at(pages, t.line)) for t in targets)
    corpus = Corpus(
        documents=documents,
        agencies=tuple(agencies[k] for k in sorted(agencies)),
        tasks=tasks,
        targets=targets,
        problems=(*loaded.problems, *(p for e in extracted for p in e.problems)),
        summary=loaded.summaries,
    )
    problems = loaded.with_pages(corpus.problems)  # the extractors' problems get pages too
    return FileRecords(corpus=dataclasses.replace(corpus, problems=tuple(problems)),
                       load_problems=len(loaded.problems), page_lines=pages)


def load_file(f: InputFile) -> FileRecords:
    """Read one input file and run the per-document extractors over it.

    Raises:
        InputError: the file cannot be used.
    """
    from policykg.loaders.documents import read_file

    loaded = read_file(f)
    return file_records(loaded, extract(loaded.documents, f.path))


def _renamed_parts(
    records: FileRecords, seen: set[str], exclude: Collection[str]
) -> tuple[Corpus, int]:
    """The file's records with each document id made unique across files (tasks, targets
    and sections follow their document), the excluded documents and their problems left
    out; and how many of the problems are loading problems."""
    from policykg.loaders.documents import rename_document, unique_id

    part = records.corpus
    renames: dict[str, str] = {}
    documents: list[Document] = []
    dropped: list[Document] = []
    for doc in part.documents:
        new_id = unique_id(doc.id, seen)
        if new_id in exclude:
            renames[doc.id] = ""
            dropped.append(doc)
            continue
        renames[doc.id] = new_id
        documents.append(rename_document(doc, new_id))

    def kept(p: Problem) -> bool:
        return not any(p.span.file == d.file and d.start_line <= p.span.start_line <= d.end_line
                       for d in dropped)

    load_problems = [p for p in part.problems[: records.load_problems] if kept(p)]
    problems = (*load_problems, *(p for p in part.problems[records.load_problems:] if kept(p)))

    def moved(item_id: str, old: str) -> str:
        return renames[old] + item_id[len(old):]

    tasks = tuple(t if renames[t.doc_id] == t.doc_id else
                  dataclasses.replace(t, id=moved(t.id, t.doc_id), doc_id=renames[t.doc_id])
                  for t in part.tasks if renames.get(t.doc_id))
    targets = tuple(t if renames[t.doc_id] == t.doc_id else
                    dataclasses.replace(t, id=moved(t.id, t.doc_id), doc_id=renames[t.doc_id])
                    for t in part.targets if renames.get(t.doc_id))
    corpus = dataclasses.replace(part, documents=tuple(documents), tasks=tasks,
                                 targets=targets, problems=problems)
    return corpus, len(load_problems)


def assemble(parts: Sequence[FileRecords | BuildSummary], *,
             exclude: Collection[str] = (),
             cite: Callable[[Sequence[Document]], tuple[list[Citation], list[Problem]]]
             | None = None,
             evidence: Callable[[Citation, Document], Evidence] | None = None) -> Corpus:
    """Gather the records of every file (in input order) into one ``Corpus``.

    Document ids are made unique across files (``-2``, ``-3``… in input order), the same
    document in two files is reported (L005), citations are resolved over all documents,
    and the agencies named are selected from the registry.

    Args:
        parts: per input file in order, its ``FileRecords``, or the ``BuildSummary`` of a
            file not read (ignored or skipped), kept for the line account.
        exclude: ids of documents to leave out (``policykg remove``).
        cite: what finds the citations (default ``citations.find_citations``; a store
            change passes one that reuses the documents' earlier results).
        evidence: what finds what a citing document prints beside a cited title (default
            ``inference.citation_evidence``; a store change passes one that reuses it).
    """
    from policykg.loaders.citations import find_citations
    from policykg.loaders.documents import LoadedDocuments, RepeatIndex
    from policykg.loaders.inference import citation_evidence, infer_metadata

    seen: set[str] = set()
    load_problems: list[Problem] = []
    found_problems: list[Problem] = []
    documents: list[Document] = []
    tasks: list[Task] = []
    targets: list[Target] = []
    summaries: list[BuildSummary] = []
    page_lines: dict[str, tuple[int, ...]] = {}
    repeats = RepeatIndex()
    for part in parts:
        if isinstance(part, BuildSummary):
            summaries.append(part)
            continue
        corpus, n_load = _renamed_parts(part, seen, exclude)
        load_problems += corpus.problems[:n_load]
        load_problems += repeats.repeats(corpus.documents)
        repeats.add(corpus.documents)
        found_problems += corpus.problems[n_load:]
        documents += corpus.documents
        tasks += corpus.tasks
        targets += corpus.targets
        summaries += part.corpus.summary
        if part.page_lines:
            page_lines.update((s.file, part.page_lines) for s in part.corpus.summary)
    citations, citation_problems = (cite or find_citations)(documents)
    citations = _citation_pages(citations, documents, page_lines)
    # a 文号 or date the document does not print, as the documents citing it print it
    documents = infer_metadata(documents, citations, evidence or citation_evidence)
    pages = LoadedDocuments(documents=(), page_lines=page_lines)
    # only the agencies the corpus names (as issuer or responsible), with their parents
    named = [n for t in tasks for n in (*t.lead, *t.participants)]
    named += [i for d in documents for i in d.issuer_ids]
    agencies = _named_agencies(named, parts)
    logger.info("loaded %d documents, %d tasks, %d targets, %d citations",
                len(documents), len(tasks), len(targets), len(citations))
    return Corpus(
        documents=tuple(documents),
        agencies=agencies,
        tasks=tuple(tasks),
        targets=tuple(targets),
        citations=tuple(citations),
        problems=(*load_problems, *found_problems, *pages.with_pages(citation_problems)),
        summary=tuple(summaries),
    )


def _citation_pages(citations: Sequence[Citation], documents: Sequence[Document],
                    page_lines: Mapping[str, tuple[int, ...]]) -> list[Citation]:
    """The citations with the PDF page of their line (in the citing document's file)."""
    files = {d.id: d.file for d in documents}
    out = []
    for c in citations:
        starts = page_lines.get(files.get(c.doc_id, ""), ())
        out.append(dataclasses.replace(c, page=page_at(starts, c.line)) if starts else c)
    return out


def _named_agencies(named: Sequence[str],
                    parts: Sequence[FileRecords | BuildSummary]) -> tuple[Agency, ...]:
    """The agencies named, with their parents and predecessors, sorted by id (as
    ``agencies.with_ancestors``), also finding those made while extracting a file (from
    templates or the open world, here, in a worker or in an earlier build)."""
    reg = registry()
    # the agencies this process made while extracting are not looked at: each file's own
    # (in ``parts``) are, the same whether it was read here, in a worker or from the cache
    reg.forget_made()
    made = {a.id: a for p in parts if not isinstance(p, BuildSummary) for a in p.corpus.agencies}
    made_names = {a.name: a for a in made.values()}

    from policykg.loaders.agencies import with_ancestors

    return with_ancestors(lambda k: reg.get(k) or reg.by_name(k) or made.get(k)
                          or made_names.get(k), named)


def load(paths: Sequence[Path], progress: Progress | None = None) -> Corpus:
    """Load files or folders and extract documents, tasks, targets and citations.

    ``progress(done, total, file)`` is called as input files are read.
    """
    from policykg.loaders.documents import check_loaded, skipped, try_read
    from policykg.loaders.source import collect_inputs

    # the records pile up and stay alive: pause the cyclic GC (see load_documents)
    enabled = gc.isenabled()
    gc.disable()
    try:
        inputs = collect_inputs(paths)
        results = []
        for done, f in enumerate(inputs.files):
            if progress is not None:
                progress(done, len(inputs.files), f.source_file)
            results.append(try_read(f))
        if progress is not None:
            progress(len(inputs.files), len(inputs.files), "")
        check_loaded(inputs, results)
        parts: list[FileRecords | BuildSummary] = [
            skipped(f, "ignored", "not a .pdf or .txt file") for f in inputs.ignored]
        for f, r in zip(inputs.files, results, strict=True):
            if isinstance(r, InputError):
                parts.append(skipped(f, "skipped", r.reason, r.message))
            else:
                parts.append(file_records(r, extract(r.documents, f.path)))
        return assemble(parts)
    finally:
        if enabled:
            gc.enable()


def extractor_version() -> str:
    """The version the build cache is keyed by: the project's, and a digest of the loaders.

    The digest covers every source and lexicon file of ``loaders/`` and the record modules,
    so that a changed rule invalidates cached records even before a release bumps
    ``__version__``.
    """
    from policykg import __version__, recordio, records

    root = Path(__file__).resolve().parent
    files = sorted(p for p in root.rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    files += [Path(records.__file__), Path(recordio.__file__)]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return f"{__version__}+{digest.hexdigest()[:12]}"
