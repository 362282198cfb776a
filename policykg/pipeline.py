"""The order of stages: load → tag sectors → place in the "1+N" tree → RDF → validate → store.

The only module that knows how loaders, graph and viz fit together; the CLI and the
benchmarks call it. Must not import ``policykg.cli``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import logging
import os
import shutil
import signal
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol

from policykg.errors import Errors, InputError, StoreError
from policykg.records import Agency, BuildSummary, Citation, Corpus, Document, SectorTag

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    import rdflib

    from policykg.graph.tree import TreeNode
    from policykg.graph.validate import ValidationReport
    from policykg.loaders.corpus import Extracted, FileRecords
    from policykg.loaders.documents import LoadedDocuments
    from policykg.loaders.inference import Evidence
    from policykg.loaders.source import InputFile, InputFiles

__all__ = [
    "BuildResult",
    "add_to_store",
    "build",
    "build_store",
    "bundled_input",
    "check_store",
    "default_jobs",
    "default_store",
    "ensure_store",
    "explicit_store",
    "load_corpus",
    "prepare_search",
    "read_corpus",
    "read_index",
    "read_tree",
    "remove_from_store",
]

logger = logging.getLogger(__name__)

_PACKAGE = Path(__file__).resolve().parent
STORE_ENV = "POLICYKG_STORE"

#: ``progress(done, total, current_file)`` while input files are read (the CLI's TTY meter).
Progress = Callable[[int, int, str], None]


def bundled_input() -> Path:
    """Return the bundled compilation shipped in ``data/``."""
    return _PACKAGE / "data" / "compilation-2022.txt"


def default_store() -> Path:
    """Return the store directory: ``$POLICYKG_STORE`` or ``.policykg/`` in the working dir."""
    env = os.environ.get(STORE_ENV)
    return Path(env) if env else Path.cwd() / ".policykg"


def explicit_store(named: str | None) -> Path | None:
    """The store the user named (``--store``, else ``$POLICYKG_STORE``); None if neither.

    A named store must exist for reading; only the default location gets the bundled
    compilation built into it on first use.
    """
    if named:
        return Path(named)
    env = os.environ.get(STORE_ENV)
    return Path(env) if env else None


@dataclasses.dataclass(frozen=True, kw_only=True)
class BuildResult:
    """Everything one build produced, with the time each stage took.

    ``ntriples`` is the graph as sorted N-Triples: the text, or the store's ``graph.nt``;
    ``graph`` reads it into an ``rdflib.Graph`` on first use (the build itself needs none).
    A store command (``build_store``, ``add_to_store``, ``remove_from_store``) also says
    which input files it read (the others came from the store's cache), whether the store
    was already up to date (then nothing was built: ``corpus`` is empty, ``tree`` and
    ``ntriples`` are None; ``manifest`` has the counts), and whether the store was written.
    """

    corpus: Corpus
    tree: TreeNode | None
    ntriples: str | Path | None
    validation: ValidationReport | None
    timings: dict[str, float]
    reread: tuple[str, ...] = ()
    up_to_date: bool = False
    stored: bool = False
    manifest: dict[str, Any] = dataclasses.field(default_factory=dict)
    triples: int = 0
    _cache: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @property
    def graph(self) -> rdflib.Graph:
        """The graph as an ``rdflib.Graph`` (parsed once, on first use).

        Raises:
            StoreError: nothing was built (the store was up to date, or was kept).
        """
        if "graph" not in self._cache:
            from policykg.graph.build import graph_from_ntriples

            text = self.ntriples
            if text is None:
                raise StoreError(Errors.G008)
            if isinstance(text, Path):
                text = text.read_text(encoding="utf-8")
            self._cache["graph"] = graph_from_ntriples(text)
        graph: rdflib.Graph = self._cache["graph"]
        return graph


def tree_corpus(corpus: Corpus) -> Corpus:
    """The corpus the "1+N" tree places: a document the loaders left without a jurisdiction
    takes the one its agencies are resolved in (``loaders.agencies.document_jurisdiction``:
    its chapter, title or printed issuer), so a provincial 实施意见 is not taken as national."""
    from policykg.loaders.agencies import default_registry, document_jurisdiction

    registry = default_registry()
    docs = []
    for doc in corpus.documents:
        if doc.jurisdiction is None:
            found = document_jurisdiction(doc, registry)
            if found is not None:
                doc = dataclasses.replace(doc, jurisdiction=found.name)
        docs.append(doc)
    return dataclasses.replace(corpus, documents=tuple(docs))


def jurisdiction_parents(corpus: Corpus) -> dict[str, str]:
    """Each document jurisdiction's enclosing ones (西湖区 → 杭州市 → 浙江省)."""
    from policykg.loaders.jurisdictions import admin_map

    amap = admin_map()
    out: dict[str, str] = {}
    for name in sorted({d.jurisdiction for d in corpus.documents if d.jurisdiction}):
        division = amap.lookup(name)
        if division is None:
            continue
        child_name = name
        for up in amap.ancestors(division):
            out[child_name] = up.name
            child_name = up.name
    return out


def load_corpus(paths: Sequence[Path], progress: Progress | None = None) -> Corpus:
    """Parse input files or folders into records (documents, tasks, targets, citations)."""
    from policykg.loaders.corpus import load

    for path in paths:
        if not path.exists():
            raise InputError(Errors.I001.format(path=path))
    return load(paths, progress=progress)


def default_jobs() -> int:
    """The default ``--jobs``: every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def build(paths: Sequence[Path], *, validate: bool = True, progress: Progress | None = None,
          jobs: int = 1) -> BuildResult:
    """Run every stage on ``paths`` and return the records, tree and RDF graph (in memory)."""
    from policykg.graph.triples import ntriples_text
    from policykg.loaders.corpus import assemble

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    inputs, files = _inputs_for(paths, "")
    corpus = assemble(_load_parts(inputs, files, {}, jobs, progress))
    timings["parse_extract"] = time.perf_counter() - t0
    corpus, tree = _sectors_tree(corpus, timings)
    t1 = time.perf_counter()
    text = ntriples_text(corpus, corpus.sectors, tree)
    t2 = time.perf_counter()
    timings["rdf"] = t2 - t1
    report = None
    if validate:
        from policykg.graph.validate import validate as shacl_validate

        report = shacl_validate(text)
        timings["validate"] = time.perf_counter() - t2
    return BuildResult(corpus=corpus, tree=tree, ntriples=text, validation=report,
                       timings=timings, triples=text.count("\n"))


def _sectors_tree(corpus: Corpus, timings: dict[str, float],
                  tagged: Callable[[Corpus], Sequence[SectorTag]] | None = None,
                  place: Callable[[Corpus], Corpus] | None = None,
                  ) -> tuple[Corpus, TreeNode]:
    """Tag sectors (by ``tagged``, default ``tag_sectors``) and place the documents in the
    "1+N" tree (their jurisdictions by ``place``, default ``tree_corpus``)."""
    from policykg.graph.sectors import tag_sectors
    from policykg.graph.tree import build_tree

    t0 = time.perf_counter()
    tags = tuple((tagged or tag_sectors)(corpus))
    corpus = dataclasses.replace(corpus, sectors=tags)
    placed = (place or tree_corpus)(corpus)
    tree = build_tree(placed, tags, jurisdiction_parents=jurisdiction_parents(placed))
    timings["sectors_tree"] = time.perf_counter() - t0
    return corpus, tree


# --- the per-file cache and the process pool -----------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class _InputFile:
    """One input file: the file (None: known by the store's cache only), its name (the path
    relative to the input folder), content digest and cache key."""

    input: InputFile | None
    name: str
    sha256: str
    size: int
    key: str

    @classmethod
    def of(cls, f: InputFile, version: str) -> _InputFile:
        try:
            data = f.path.read_bytes()
        except OSError as e:
            raise InputError(Errors.I004.format(path=f.path, reason=e.strerror)) from e
        digest = hashlib.sha256(data).hexdigest()
        key = hashlib.sha256(f"{version}\0{f.source_file}\0{digest}".encode()).hexdigest()[:32]
        return cls(f, f.source_file, digest, len(data), key)

    def entry(self) -> dict[str, Any]:
        """The file's line in the manifest."""
        return {"name": self.name, "sha256": self.sha256, "bytes": self.size, "key": self.key}


def _cached_part(text: bytes, where: str) -> FileRecords:
    """A file's records from its cache entry (``_part_text``, UTF-8); the documents' sections
    and paragraphs stay UTF-8 JSON text until something reads them."""
    import json

    from policykg.loaders.corpus import FileRecords
    from policykg.recordio import corpus_from_json, records_from_text, with_bodies
    from policykg.records import Target, Task

    head, _, rest = text.partition(b"\n")
    data = json.loads(head.decode("utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("load_problems"), int):
        raise StoreError(Errors.R008.format(path=where))
    pages = data.get("page_lines", [])
    lines = rest.split(b"\n")[:-1]
    if len(lines) < 4:
        raise StoreError(Errors.R008.format(path=where))
    corpus = dataclasses.replace(
        corpus_from_json(data.get("corpus"), where),
        tasks=records_from_text(Task, lines[0], lines[1], where),
        targets=records_from_text(Target, lines[2], lines[3], where))
    corpus = with_bodies(corpus, lines[4:], where)
    return FileRecords(corpus=corpus, load_problems=data["load_problems"],
                       page_lines=tuple(pages))


def _part_text(part: FileRecords) -> str:
    """A file's cache entry as one text (``_part_lines``)."""
    return "\n".join(_part_lines(part)) + "\n"


def _part_lines(part: FileRecords) -> list[str]:
    """A file's cache entry, by line: its records without the documents' sections and
    paragraphs, its tasks and targets; two lines each for the tasks and the targets (their
    JSON and their rows: ``recordio.records_text``), then three lines per document with its
    sections and paragraphs (``body_json``; ``corpus.json`` gets them as they are)."""
    import json

    from policykg.recordio import body_json, corpus_to_json, records_text

    docs = part.corpus.documents
    light = dataclasses.replace(part.corpus, tasks=(), targets=(), documents=tuple(
        dataclasses.replace(d, sections=(), paragraphs=()) for d in docs))
    head = {"load_problems": part.load_problems, "page_lines": list(part.page_lines),
            "corpus": corpus_to_json(light)}
    lines = [json.dumps(head, ensure_ascii=False, separators=(",", ":"))]
    lines += [*records_text(part.corpus.tasks), *records_text(part.corpus.targets)]
    lines += [text for d in docs for text in body_json(d)]
    return lines


@dataclasses.dataclass(frozen=True, slots=True)
class _Failure:
    """An ``InputError`` as it crosses from a worker process (exceptions lose fields)."""

    cls: type[InputError]
    message: str
    span: Any
    excerpt: str

    def error(self) -> InputError:
        return self.cls(self.message, self.span, self.excerpt)


def _read(f: InputFile) -> LoadedDocuments | _Failure:
    """``read_file`` in a worker: the documents, or what stopped the file."""
    from policykg.loaders.documents import read_file

    try:
        return read_file(f)
    except InputError as e:
        return _Failure(type(e), e.message, e.span, e.excerpt)


#: Characters of document text from which one file's documents are extracted over the pool.
#: Measured on the compilation (617,219 characters, 0.5 s of extraction CPU on a 2-core
#: machine): the pool cost 0.3-0.45 s of CPU more than it saved, for at most 0.25 s of wall.
POOL_MIN_CHARS: Final = 2_000_000

#: The chunks of documents the extract pool works on, set before that pool forks: its workers
#: inherit them, so only a chunk's number goes to a worker (pickling the documents to the
#: workers cost as much CPU as a tenth of their extraction)
_CHUNKS: list[tuple[Sequence[Document], Path]] = []


def _extract(k: int) -> list[Extracted]:
    """``extract`` in a worker: chunk ``k`` of ``_CHUNKS`` (one file's documents)."""
    from policykg.loaders.corpus import extract

    return extract(*_CHUNKS[k])


def _load_parts(inputs: InputFiles, files: Sequence[_InputFile],
                cached: Mapping[str, FileRecords], jobs: int,
                progress: Progress | None = None) -> list[FileRecords | BuildSummary]:
    """The records of each file: from ``cached`` (by key), else read and extracted.

    ``inputs`` are the files named on this command line (their folder rules apply);
    ``files`` are all the store's files in order, those of ``inputs`` among them.

    Files are read in a process pool of ``jobs`` workers, then their documents are
    extracted in chunks over a pool forked anew (several files, or one of at least
    ``POOL_MIN_CHARS``; else here, one chunk per file); results keep the input order, so the
    output does not depend on ``jobs``.  A file that cannot be read becomes the summary of a
    skipped file (or stops the build, by the rules of ``documents.check_loaded``).
    """
    from policykg.loaders.corpus import file_records, registry
    from policykg.loaders.documents import LoadedDocuments, check_loaded, skipped

    todo = [f for f in files if f.key not in cached]
    if any(f.input is None for f in todo):
        raise StoreError(Errors.R009)
    read: dict[str, LoadedDocuments | InputError] = {}
    found: list[Any] = []
    if todo:
        registry()  # loaded once here, inherited by the forked workers
        with _pool(jobs, len(todo)) as run:
            for n, (f, r) in enumerate(zip(todo, run(_read, [f.input for f in todo]),
                                           strict=True)):
                if progress is not None:
                    progress(n, len(todo), f.name)
                read[f.key] = r.error() if isinstance(r, _Failure) else r
            if progress is not None:
                progress(len(todo), len(todo), "")
            ok = {k: r for k, r in read.items() if not isinstance(r, InputError)}
            total = sum(len(r.documents) for r in ok.values())
            chars = sum(len(p.text) for r in ok.values() for d in r.documents
                        for p in d.paragraphs)
            # one file of ordinary size is extracted here: forking and feeding the workers
            # costs more CPU than the extraction they would share
            parallel = jobs > 1 and (len(ok) > 1 or chars >= POOL_MIN_CHARS)
            size = max(1, -(-total // (jobs * 4)) if parallel else total)
            sources = {f.key: f.input.path for f in todo if f.input is not None}
            # chunks never cross files: a PDF's tables are read once per chunk
            _CHUNKS[:] = [(r.documents[i:i + size], sources[k])
                          for k, r in ok.items() for i in range(0, len(r.documents), size)]
            try:
                if parallel:
                    found = [e for chunk in run(_extract, range(len(_CHUNKS)), fresh=True)
                             for e in chunk]
                else:
                    found = [e for k in range(len(_CHUNKS)) for e in _extract(k)]
            finally:
                _CHUNKS.clear()
    n_cached = sum(len(p.corpus.documents) for p in cached.values())
    by_name = {f.name: f for f in files}
    results = [read.get(by_name[i.source_file].key, LoadedDocuments(documents=()))
               for i in inputs.files]
    check_loaded(inputs, results,
                 read=n_cached + sum(len(r.documents) for r in read.values()
                                     if not isinstance(r, InputError)))
    out: dict[str, FileRecords] = dict(cached)
    at = 0
    for key, r in read.items():
        if not isinstance(r, InputError):
            n = len(r.documents)
            out[key] = file_records(r, found[at:at + n])
            at += n
    parts: list[FileRecords | BuildSummary] = [
        skipped(f, "ignored", "not a .pdf or .txt file") for f in inputs.ignored]
    for f in files:
        r = read.get(f.key)
        if isinstance(r, InputError):
            assert f.input is not None
            parts.append(skipped(f.input, "skipped", r.reason, r.message))
        else:
            parts.append(out[f.key])
    return parts


class _Map(Protocol):
    """``run(fn, items, fresh=False)``: ``[fn(x) for x in items]``, maybe over the pool."""

    def __call__(self, fn: Callable[[Any], Any], items: Sequence[Any], *,
                 fresh: bool = False) -> list[Any]: ...


@contextlib.contextmanager
def _pool(jobs: int, units: int) -> Iterator[_Map]:
    """A ``map`` over a pool of ``jobs`` forked processes (in process when ``jobs`` is 1).

    ``fresh``: fork the workers again first, so that they see the parent's state as it is now.
    """
    if jobs <= 1 or not hasattr(os, "fork"):
        # one process (or no fork, as on Windows): no pool to start
        def serial(fn: Callable[[Any], Any], items: Sequence[Any], *,
                   fresh: bool = False) -> list[Any]:
            return [fn(x) for x in items]

        yield serial
        return
    executor: ProcessPoolExecutor | None = None

    def run(fn: Callable[[Any], Any], items: Sequence[Any], *, fresh: bool = False) -> list[Any]:
        nonlocal executor
        if fresh and executor is not None:
            executor.shutdown()
            executor = None
        if len(items) <= 1:
            # one unit (an add of one file): no worker is forked for nothing
            return [fn(x) for x in items]
        if executor is None:
            # imported here: a build of one file (the compilation) starts no pool
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from policykg.graph.store import forget_locks

            # fork: the workers inherit the loaded modules and registry instead of importing
            executor = ProcessPoolExecutor(
                max_workers=min(jobs, max(units, 2)), initializer=forget_locks,
                mp_context=multiprocessing.get_context("fork"))
            _start_workers(executor)
        return list(executor.map(fn, items))

    try:
        yield run
    finally:
        if executor is not None:
            executor.shutdown()


def _start_workers(executor: Any) -> None:
    """Fork every worker now, with Ctrl-C held back until the forks are done.

    A SIGINT that lands while ``os.fork`` runs its at-fork hooks (logging's lock release)
    raises KeyboardInterrupt inside the hook, where Python prints and drops it: the build
    would go on.  Blocked, the signal waits and is raised here once the forks are done.  The
    workers keep it blocked: Ctrl-C is the parent's to handle, so a worker prints no traceback.
    """
    if not hasattr(signal, "pthread_sigmask"):
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        executor.submit(int).result()  # a fork pool launches all its workers on first use
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


# --- store commands --------------------------------------------------------------------


def _inputs_for(paths: Sequence[Path], version: str) -> tuple[InputFiles, list[_InputFile]]:
    from policykg.loaders.source import collect_inputs

    for path in paths:
        if not path.exists():
            raise InputError(Errors.I001.format(path=path))
    inputs = collect_inputs(paths)
    return inputs, [_InputFile.of(f, version) for f in inputs.files]


def _cached_parts(store: Path, files: Sequence[_InputFile], *,
                  required: bool) -> dict[str, FileRecords]:
    """The cache entries of the current store for ``files`` (by key)."""
    from policykg.graph.store import cache_get, cache_path, has_store

    found: dict[str, FileRecords] = {}
    if not has_store(store):
        return found
    for f in files:
        text = cache_get(store, f.key)
        where = cache_path(store, f.key)
        if text is not None:
            try:
                found[f.key] = _cached_part(text, str(where))
                continue
            except ValueError as e:
                logger.warning("%s: damaged cache entry, reading the input again (%s)", where, e)
        if required and f.input is None:  # a file of the store, known by its cache only
            raise StoreError(Errors.R009_FILE.format(path=store, name=f.name))
    return found


def _store_update(
    store: Path, inputs: InputFiles, files: Sequence[_InputFile], version: str, *,
    validate: bool, jobs: int, allow_invalid: bool, exclude: Sequence[str] = (),
    required: bool = False, progress: Progress | None = None,
) -> BuildResult:
    """Build ``files`` (cached records reused) and swap the result into ``store``."""
    from policykg.recordio import forget_made

    try:
        with _settled() as settle:
            return _store_update_settled(
                store, inputs, files, version, settle, validate=validate, jobs=jobs,
                allow_invalid=allow_invalid, exclude=exclude, required=required,
                progress=progress)
    finally:
        forget_made()  # when no records were written (a graph that does not conform)


@contextlib.contextmanager
def _settled() -> Iterator[Callable[[], None]]:
    """Give a function that settles the objects made so far: the garbage collector's passes
    no longer walk them (``gc.freeze``).  The records of a store are a few million objects
    that live to the end: walked again at each pass, they cost 10 % of an ``add``."""
    import gc

    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def _store_update_settled(
    store: Path, inputs: InputFiles, files: Sequence[_InputFile], version: str,
    settle: Callable[[], None], *, validate: bool, jobs: int, allow_invalid: bool,
    exclude: Sequence[str], required: bool, progress: Progress | None,
) -> BuildResult:
    from policykg.graph.store import (
        GRAPH_STATE,
        VALIDATION,
        has_store,
        ntriples_path,
        read_json,
        read_manifest,
        write_store,
    )
    from policykg.graph.tree import tree_to_json
    from policykg.graph.validate import report_to_json
    from policykg.loaders.corpus import assemble

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    cached = _cached_parts(store, files, required=required)
    settle()
    parts = _load_parts(inputs, files, cached, jobs, progress)
    reread = tuple(f.name for f in files if f.key not in cached)
    old = read_manifest(store) if has_store(store) else None
    old_state = read_json(store, GRAPH_STATE) if old is not None else None
    cites = _CitationCache(old_state, files)
    evidence = _EvidenceCache(old_state, files)
    corpus = assemble(parts, exclude=set(exclude), cite=cites.cite, evidence=evidence.find)
    settle()
    timings["parse_extract"] = time.perf_counter() - t0
    sectors = _SectorCache(old_state, files, version)
    places = _PlaceCache(old_state, files)
    corpus, tree = _sectors_tree(corpus, timings, sectors.tag, places.place)
    settle()
    t1 = time.perf_counter()
    nt = store.with_name(f".{store.name}.nt-{os.getpid()}")
    spool = store.with_name(f".{store.name}.nt-{os.getpid()}.d")
    try:
        keys = _batch_keys(corpus, files, version)
        graph = None if old is None or keys is None else _graph_delta(
            store, old_state, corpus, tree, keys, nt, _triples(old))
        if graph is None:
            # the triples go straight from the records to a sorted N-Triples file (streamed
            # per document, sorted in bounded runs), validated, then moved into the store;
            # each document's lines are kept in the cache for the next add or remove
            graph = _graph_full(corpus, tree, keys, nt, spool)
        if graph.state:
            graph.state["sectors"] = sectors.state
            graph.state["citations"] = cites.state
            graph.state["evidence"] = dict(sorted(evidence.state.items()))
            graph.state["places"] = places.state
        t2 = time.perf_counter()
        timings["rdf"] = t2 - t1
        report = None
        if validate:
            report = _validate(store, old, graph, nt)
            timings["validate"] = time.perf_counter() - t2
        conforms = None if report is None else report.conforms
        if conforms is False and old is not None and old.get("conforms") is not False \
                and not allow_invalid:
            logger.info("%s: the new graph does not conform to the shapes; the store is kept "
                        "as it was (--allow-invalid replaces it)", store)
            with nt.open(encoding="utf-8") as f:
                triples = sum(1 for _ in f)
            return BuildResult(corpus=corpus, tree=tree, ntriples=None, validation=report,
                               timings=timings, reread=reread, stored=False, manifest=old,
                               triples=triples)
        t3 = time.perf_counter()
        new_keys = {f.key for f in files if f.key not in cached}
        read = parts[len(inputs.ignored):]
        write_store(
            store, corpus, nt, sector_tags=corpus.sectors,
            tree_json=tree_to_json(tree), inputs=[f.name for f in files],
            files=[f.entry() if not isinstance(p, BuildSummary) else {**f.entry(),
                                                                       "status": "skipped"}
                   for f, p in zip(files, read, strict=True)],
            cache={f.key: (_part_lines(p) if f.key in new_keys else None)
                   for f, p in zip(files, read, strict=True) if not isinstance(p, BuildSummary)},
            extra={"extractor": version, "validated": validate, "conforms": conforms,
                   "excluded": sorted(exclude)},
            batches=graph.batches, delta=graph.delta,
            state={GRAPH_STATE: graph.state,
                   **({VALIDATION: report_to_json(report)} if report is not None else {})},
            # a whole-file validation parsed graph.nt strictly (shacl-rust): the load need not
            checked=report is not None and graph.delta is None,
        )
        timings["store"] = time.perf_counter() - t3
    finally:
        nt.unlink(missing_ok=True)
        shutil.rmtree(spool, ignore_errors=True)
    manifest = read_manifest(store)
    return BuildResult(corpus=corpus, tree=tree, ntriples=ntriples_path(store),
                       validation=report, timings=timings, reread=reread, stored=True,
                       manifest=manifest, triples=int(manifest["counts"]["triples"]))


# --- the graph of a store: whole, or the old one changed by the documents whose lines changed


@dataclasses.dataclass(frozen=True, slots=True)
class _Graph:
    """The new graph (sorted in the ``nt`` file) and what the store keeps of it.

    ``batches``: cache entries of the documents' lines (key → file to move in, or None to
    keep the old store's); ``state``: ``graph-state.json``; ``delta``: the change from the
    old graph (None: the graph was made whole); ``changed``: the lines of the batches made
    anew (what an incremental validation looks at); ``lines``: the new graph's sorted
    lines (``incremental.SortedLines``) when it was made by a delta.
    """

    batches: dict[str, Path | None]
    state: dict[str, Any]
    delta: Any = None
    changed: tuple[str, ...] = ()
    lines: Any = None


class _DocCache:
    """Per-document results kept in ``graph-state.json`` under ``SECTION``, each under a key
    of its document's file (``_key``): the common part of the caches below."""

    SECTION = ""

    def __init__(self, old_state: Any, files: Sequence[_InputFile]) -> None:
        old = old_state.get(self.SECTION) if isinstance(old_state, dict) else None
        self.old: dict[str, Any] = old if isinstance(old, dict) else {}
        self.file_keys = {f.name: f.key for f in files}
        self.state: dict[str, Any] = {}

    def _file_key(self, doc: Document) -> str | None:
        return self.file_keys.get(doc.source_file or "")

    def _key(self, doc: Document) -> str | None:
        """A document's entry key: its file's cache key and its id (None: file unknown)."""
        file_key = self._file_key(doc)
        return None if file_key is None else _text_key(f"{file_key}\0{doc.id}")


class _CitationCache(_DocCache):
    """Each document's citations with what resolving them looked up, kept in
    ``graph-state.json`` under a key of its file and id: only the documents whose citations
    the documents come or gone can change are read again (``citations.DocCitations``)."""

    SECTION = "citations"

    def cite(self, documents: Sequence[Document]) -> tuple[list[Any], list[Any]]:
        """``citations.find_citations(documents)``, reusing what still holds."""
        from policykg.loaders.citations import document_keys, resolve_citations

        keys = {d.id: self._key(d) for d in documents}
        current = set(keys.values())
        come_keys: set[str] = set()
        come_numbers: set[str] = set()
        for doc in documents:
            entry = self.old.get(doc.id)
            if not isinstance(entry, list) or entry[0] != keys[doc.id]:
                title_keys, numbers = document_keys(doc)
                come_keys |= title_keys
                come_numbers |= numbers
        for entry in self.old.values():
            if isinstance(entry, list) and entry[0] not in current:
                come_keys.update(entry[2])
                come_numbers.update(entry[3])

        reused: set[str] = set()

        def known(doc: Document) -> Any:
            entry = self.old.get(doc.id)
            if keys[doc.id] is None or not isinstance(entry, list) or entry[0] != keys[doc.id]:
                return None
            found = _doc_citations_from_json(entry[1])
            if found is None or found.may_change(come_keys, come_numbers):
                return None
            reused.add(doc.id)
            return found

        citations, problems, per_doc = resolve_citations(documents, known)
        for doc in documents:
            key = keys[doc.id]
            if doc.id in reused:
                # the same file and id: the same results and the same title keys
                self.state[doc.id] = self.old[doc.id]
            elif key is not None:
                title_keys, numbers = document_keys(doc)
                self.state[doc.id] = [key, _doc_citations_json(per_doc[doc.id]),
                                      sorted(title_keys), sorted(numbers)]
        return citations, problems


def _doc_citations_json(found: Any) -> dict[str, Any]:
    from policykg.recordio import corpus_to_json

    return {"records": corpus_to_json(Corpus(documents=(), citations=found.citations,
                                             problems=found.problems)),
            "keys": sorted(found.keys), "near": sorted(found.near),
            "numbers": sorted(found.numbers)}


def _doc_citations_from_json(data: Any) -> Any:
    from policykg.loaders.citations import DocCitations
    from policykg.recordio import corpus_from_json

    try:
        records = corpus_from_json(data["records"], "graph-state.json")
        return DocCitations(citations=records.citations, problems=records.problems,
                            keys=frozenset(data["keys"]), near=frozenset(data["near"]),
                            numbers=frozenset(data["numbers"]))
    except (KeyError, TypeError, StoreError):
        return None


class _EvidenceCache(_DocCache):
    """What each citing document prints beside the titles it cites (the 文号 and dates
    ``inference.infer_metadata`` takes), kept in ``graph-state.json`` under a key of its
    file and id: a store change reads the paragraphs of new documents only."""

    SECTION = "evidence"

    def find(self, citation: Citation, citing: Document) -> Evidence:
        """``inference.citation_evidence``, from the cache when the document is known."""
        from policykg.loaders.inference import citation_evidence

        key = self._key(citing)
        if key is None:
            return citation_evidence(citation, citing)
        asked = f"{citation.line}\0{citation.cited_title}"
        entry = self.old.get(citing.id)
        held = entry[1].get(asked) if isinstance(entry, list) and entry[0] == key else None
        found = citation_evidence(citation, citing) if held is None else \
            [(field, value, line, quote) for field, value, line, quote in held]
        mine = self.state.setdefault(citing.id, [key, {}])
        mine[1][asked] = [list(e) for e in found]
        return found


class _PlaceCache(_DocCache):
    """The jurisdiction ``tree_corpus`` gives each document the loaders left without one,
    kept in ``graph-state.json`` under a key of its file, id, first line and 文号 (what
    can change it after extraction): a store change reads only new documents' text for it."""

    SECTION = "places"

    def _key(self, doc: Document) -> str | None:
        file_key = self._file_key(doc)
        if file_key is None:
            return None
        return _text_key(f"{file_key}\0{doc.id}\0{doc.start_line}\0{doc.doc_number}")

    def place(self, corpus: Corpus) -> Corpus:
        """``tree_corpus(corpus)``, with the cached jurisdictions of known documents.

        The registry is the one the extraction loaded: a document's jurisdiction depends on
        the registry's jurisdictions and the administrative map only, never on the agencies
        extraction made (loading a second registry cost an add 50 ms)."""
        from policykg.loaders.agencies import document_jurisdiction
        from policykg.loaders.corpus import registry as loaded_registry

        registry = None
        docs = []
        for doc in corpus.documents:
            if doc.jurisdiction is None:
                key = self._key(doc)
                entry = self.old.get(doc.id)
                if key is not None and isinstance(entry, list) and entry[0] == key:
                    name = entry[1]
                else:
                    registry = registry or loaded_registry()
                    found = document_jurisdiction(doc, registry)
                    name = None if found is None else found.name
                if key is not None:
                    self.state[doc.id] = [key, name]
                if name is not None:
                    doc = dataclasses.replace(doc, jurisdiction=name)
            docs.append(doc)
        return dataclasses.replace(corpus, documents=tuple(docs))


class _SectorCache(_DocCache):
    """Sector tags per document (its own, its tasks' and targets'), kept in
    ``graph-state.json`` under a key of its file and id: only new documents are tagged."""

    SECTION = "sectors"

    def __init__(self, old_state: Any, files: Sequence[_InputFile], version: str) -> None:
        super().__init__(old_state, files)
        self.graph_version = _graph_version(version)

    def _key(self, doc: Document) -> str | None:
        file_key = self._file_key(doc)
        if file_key is None:
            return None
        return _text_key(f"{self.graph_version}\0{file_key}\0{doc.id}")

    def tag(self, corpus: Corpus) -> list[SectorTag]:
        """``tag_sectors(corpus)``, with the cached tags of known documents."""
        from policykg.graph.sectors import load_sectors, tag_document, tag_text

        sectors = load_sectors()
        tasks: dict[str, list[Any]] = {}
        for task in corpus.tasks:
            tasks.setdefault(task.doc_id, []).append(task)
        targets: dict[str, list[Any]] = {}
        for target in corpus.targets:
            targets.setdefault(target.doc_id, []).append(target)
        by_subject: dict[str, list[SectorTag]] = {}
        for doc in corpus.documents:
            key = self._key(doc)
            entry = self.old.get(doc.id)
            if key is not None and isinstance(entry, list) and entry[0] == key:
                found = {subject: [SectorTag(subject_id=subject, sector=sector,
                                             terms=tuple(terms)) for sector, terms in rows]
                         for subject, rows in entry[1].items()}
                by_subject.update(found)
                self.state[doc.id] = entry  # what the tags give back
                continue
            found = {doc.id: tag_document(doc, sectors)}
            for task in tasks.get(doc.id, ()):
                found[task.id] = tag_text(task.id, task.text, sectors)
            for target in targets.get(doc.id, ()):
                found[target.id] = tag_text(target.id, target.indicator, sectors)
            by_subject.update(found)
            if key is not None:
                self.state[doc.id] = [key, {subject: [[t.sector, list(t.terms)] for t in tags]
                                            for subject, tags in found.items()}]
        out = list(by_subject.get(doc.id, ()) for doc in corpus.documents)
        out += [by_subject[t.id] if t.id in by_subject else tag_text(t.id, t.text, sectors)
                for t in corpus.tasks]
        out += [by_subject[t.id] if t.id in by_subject else tag_text(t.id, t.indicator, sectors)
                for t in corpus.targets]
        return [tag for tags in out for tag in tags]


@functools.cache
def _graph_version(version: str) -> str:
    """What cached triples depend on besides the records: the extractor version and the
    code and data of ``graph/`` and ``ontology/``."""
    digest = hashlib.sha256(version.encode("utf-8"))
    for folder in ("graph", "ontology"):
        root = (_PACKAGE / folder).resolve()
        for path in sorted(p for p in root.rglob("*")
                           if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _batch_keys(corpus: Corpus, files: Sequence[_InputFile], version: str) -> dict[str, str] | None:
    """Each document's batch key: its file's cache key and everything the assembly of the
    corpus gives it (id, inferred values, citations, agencies its tasks name).

    None when a document's file is not known (its lines are then not cached).
    """
    from policykg.graph.triples import BatchContext

    graph_version = _graph_version(version)
    file_keys = {f.name: f.key for f in files}
    cites: dict[str, list[Any]] = {}
    for c in corpus.citations:
        cites.setdefault(c.doc_id, []).append(c)
    named: dict[str, set[str]] = {}
    for t in corpus.tasks:
        named.setdefault(t.doc_id, set()).update(t.lead, t.participants)
    ids = BatchContext.of(corpus.agencies).agency_ids
    keys: dict[str, str] = {}
    for doc in corpus.documents:
        file_key = file_keys.get(doc.source_file or "")
        if file_key is None:
            return None
        agencies = [(n, ids.get(n)) for n in sorted(named.get(doc.id, ()))]
        text = (f"{graph_version}\0{file_key}\0{doc.id}\0{doc.inferred!r}\0"
                f"{doc.notice_of!r}\0{doc.attached_to!r}\0{cites.get(doc.id, [])!r}\0"
                f"{agencies!r}")
        keys[doc.id] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    return keys


@functools.lru_cache(maxsize=4096)
def _file_name(file: str) -> str:
    """A document's file name (without its folder), as a batch entry keeps it."""
    from pathlib import PurePath

    return PurePath(file).name


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _graph_full(corpus: Corpus, tree: TreeNode, keys: Mapping[str, str] | None, nt: Path,
                spool: Path) -> _Graph:
    """Write the whole graph to ``nt``; spool each document's lines to a cache entry."""
    from policykg.graph.incremental import counted
    from policykg.graph.triples import corpus_batches, write_sorted

    by_id = {d.id: d for d in corpus.documents}
    spool.mkdir()
    batches: dict[str, Path | None] = {}
    entries: dict[str, list[str]] = {}
    shared: set[str] = set()
    counts: dict[str, int] = {}

    def lines() -> Iterator[str]:
        for doc_id, batch in corpus_batches(corpus, corpus.sectors, tree):
            unique = sorted(set(batch))
            key = keys.get(doc_id) if keys is not None else None
            if key is None:
                shared.update(unique)
            else:
                path = spool / key
                path.write_text("".join(unique), encoding="utf-8")
                batches[key] = path
                entries[doc_id] = [key, _file_name(by_id[doc_id].file)]
                for line in unique:
                    if counted(line):
                        counts[line] = counts.get(line, 0) + 1
            yield from unique

    write_sorted(lines(), nt)
    if keys is None:
        return _Graph(batches={}, state={})
    for line in shared:
        if counted(line):
            counts[line] = counts.get(line, 0) + 1
    return _Graph(batches=batches, state=_state(entries, sorted(shared), counts, spool, batches))


def _state(entries: Mapping[str, list[str]], shared: list[str], counts: Mapping[str, int],
           spool: Path, batches: dict[str, Path | None]) -> dict[str, Any]:
    """``graph-state.json``: each document's batch key and file, the shared lines' entry,
    the counted lines over all batches, shared ones included (``graph.incremental``)."""
    text = "".join(shared)
    key = _text_key(text)
    path = spool / key
    path.write_text(text, encoding="utf-8")
    batches[key] = path
    return {"batches": dict(sorted(entries.items())), "shared": key,
            "counts": dict(sorted((k, v) for k, v in counts.items() if v > 0))}


def _triples(manifest: Mapping[str, Any]) -> int | None:
    """How many triples (lines of ``graph.nt``) a store's manifest says it has."""
    counts = manifest.get("counts")
    found = counts.get("triples") if isinstance(counts, dict) else None
    return found if type(found) is int and found >= 0 else None


def _graph_delta(store: Path, state: Any, corpus: Corpus, tree: TreeNode,
                 keys: Mapping[str, str], nt: Path, total: int | None = None) -> _Graph | None:
    """The store's graph changed by the documents whose batch key is new; None when the
    store keeps no usable state (then the graph is made whole).  ``total``: the lines of
    the store's ``graph.nt``, as its manifest counts them."""
    from policykg.graph.incremental import counted, kept_shared, merge_graph
    from policykg.graph.store import batch_lines
    from policykg.graph.triples import corpus_batches

    if not isinstance(state, dict) or not isinstance(state.get("batches"), dict) \
            or not isinstance(state.get("counts"), dict):
        return None
    old_entries: dict[str, list[str]] = state["batches"]
    old_keys = {e[0] for e in old_entries.values()}
    new_keys = set(keys.values())
    todo = {doc_id for doc_id, key in keys.items() if key not in old_keys}
    # the batches that went: their lines, and the counted lines they gave
    gone_lines: set[str] = set()
    counts: dict[str, int] = dict(state["counts"])
    files_touched: set[str] = set()
    for key, file in old_entries.values():
        if key in new_keys:
            continue
        lines = batch_lines(store, key)
        if lines is None:
            return None
        gone_lines.update(lines)
        files_touched.add(file)
        for line in lines:
            if counted(line):
                counts[line] -= 1
    old_shared = batch_lines(store, str(state.get("shared")))
    if old_shared is None:
        return None
    for line in old_shared:
        if counted(line):
            counts[line] -= 1
    gone_lines.update(old_shared)
    # the batches made anew
    spool_texts: dict[str, str] = {}
    entries: dict[str, list[str]] = {}
    by_id = {d.id: d for d in corpus.documents}
    new_lines: set[str] = set()
    changed: list[str] = []
    shared: set[str] = set()
    for doc_id, batch in corpus_batches(corpus, corpus.sectors, tree, only=todo):
        unique = sorted(set(batch))
        if doc_id in keys:
            changed += unique
        new_lines.update(unique)
        if doc_id in keys:
            spool_texts[keys[doc_id]] = "".join(unique)
            files_touched.add(_file_name(by_id[doc_id].file))
            for line in unique:
                if counted(line):
                    counts[line] = counts.get(line, 0) + 1
        else:
            shared.update(unique)
    for line in shared:
        if counted(line):
            counts[line] = counts.get(line, 0) + 1
    # the shared lines (agencies, tree, sector scheme) are made anew at every change; of
    # them, only those of a node whose shared lines changed are looked at again
    old_set = set(old_shared)
    touched = {line.split(" ", 1)[0] for line in shared.symmetric_difference(old_set)}
    changed += sorted(line for line in shared if line.split(" ", 1)[0] in touched)
    # a span's lines stay while a remaining document of its file gives them
    span_lines: set[str] = set()
    for doc in corpus.documents:
        if doc.id not in todo and _file_name(doc.file) in files_touched:
            lines = batch_lines(store, keys[doc.id])
            if lines is None:
                return None
            span_lines.update(lines)
    candidates = gone_lines - new_lines
    leaving = candidates - kept_shared(candidates, counts, span_lines)
    # a line an old batch gave is in the old graph already: only the others are looked up
    delta, merged = merge_graph(store / "graph.nt", leaving, new_lines - gone_lines, nt, total)
    for doc in corpus.documents:
        entries[doc.id] = [keys[doc.id], _file_name(doc.file)]
    batches: dict[str, Path | None] = {
        key: None for key in new_keys if key not in spool_texts}
    spool = nt.with_name(nt.name + ".d")
    spool.mkdir()
    for key, text in spool_texts.items():
        (spool / key).write_text(text, encoding="utf-8")
        batches[key] = spool / key
    new_state = _state(entries, sorted(shared), counts, spool, batches)
    return _Graph(batches=batches, state=new_state, delta=delta, changed=tuple(changed),
                  lines=merged)


def _validate(store: Path, old: Mapping[str, Any] | None, graph: _Graph,
              nt: Path) -> ValidationReport:
    """SHACL over the new graph: whole, or only the changed batches (with the nodes they
    name) when the old store's results can be kept for the rest."""
    from policykg.graph.store import VALIDATION, read_json
    from policykg.graph.validate import merge_report, report_from_json, validate

    previous = None
    if graph.delta is not None and old is not None and old.get("validated"):
        previous = report_from_json(read_json(store, VALIDATION))
    if previous is None:
        return validate(nt)
    from policykg.graph.incremental import about

    wanted = _named_nodes(graph.changed)
    # the nodes the changed lines name (as subject or value: a value gains or loses a link to
    # it), and the nodes those link to (a shape checks the class of a value): every line
    # about them, so each focus node sees what a full validation shows it
    context = about(graph.lines, wanted)
    further = _named_nodes(context) - wanted
    context += about(graph.lines, further)
    seen = {node[1:-1] for node in wanted if node.startswith("<")}
    fresh = validate(sorted({*graph.changed, *context}), focus=seen)
    # the results of the other nodes are kept, but not of nodes with no triple left
    kept = [v for v in previous if v.focus not in seen
            and about(graph.lines, [f"<{v.focus}>"])]
    return merge_report(kept, fresh)


def _named_nodes(lines: Iterable[str]) -> set[str]:
    """The nodes N-Triples lines name: their subjects and the objects that are IRIs
    (``<…>``)."""
    nodes: set[str] = set()
    for line in lines:
        subject, _, rest = line.split(" ", 2)
        nodes.add(subject)
        if rest.startswith("<"):
            nodes.add(rest[:rest.find(">") + 1])
    return nodes


def build_store(
    paths: Sequence[Path], store_dir: Path, *, validate: bool = True, jobs: int | None = None,
    allow_invalid: bool = False, progress: Progress | None = None,
) -> BuildResult:
    """Build ``paths`` into ``store_dir``, reusing the records of unchanged files.

    Nothing is built when the inputs, the extractor version and the validation setting
    are those of the store already (``up_to_date``).  A graph that does not conform does
    not replace a store that does, unless ``allow_invalid``.

    Raises:
        StoreError: the target cannot hold a store, or another process is writing it.
        InputError: an input is missing or unusable.
    """
    from policykg.graph.store import check_target, has_store, lock_store, read_manifest
    from policykg.loaders.corpus import extractor_version

    store = check_target(store_dir)
    with lock_store(store):
        t0 = time.perf_counter()
        version = extractor_version()
        inputs, files = _inputs_for(paths, version)
        if has_store(store):
            manifest = read_manifest(store)
            if (_entries(manifest) == [f.entry() for f in files]
                    and manifest.get("extractor") == version
                    and manifest.get("validated") == validate
                    and not manifest.get("excluded")
                    and manifest.get("conforms") is not False):
                return BuildResult(corpus=Corpus(documents=()), tree=None, ntriples=None,
                                   validation=None, up_to_date=True, manifest=manifest,
                                   timings={"check": time.perf_counter() - t0},
                                   triples=int(manifest.get("counts", {}).get("triples", 0)))
        return _store_update(store, inputs, files, version, validate=validate,
                             jobs=jobs or default_jobs(), allow_invalid=allow_invalid,
                             progress=progress)


def add_to_store(
    paths: Sequence[Path], store_dir: Path, *, validate: bool = True, jobs: int | None = None,
    allow_invalid: bool = False, progress: Progress | None = None,
) -> BuildResult:
    """Add (or replace, by file name) input files in an existing store.

    The store's other files come from its cache, so their originals are not needed;
    citations are resolved again over all documents.  Each new file takes its place by
    name among the store's, as in a build of one folder; only the documents whose triples
    change get new ones (``_graph_delta``).

    Raises:
        StoreError: no store, a store without cache for this version, or a writer at work.
        InputError: an input is missing or unusable.
    """
    from policykg.graph.store import check_store, lock_store, read_manifest
    from policykg.loaders.corpus import extractor_version

    with lock_store(check_store(store_dir)) as store:
        manifest = read_manifest(store)
        version = extractor_version()
        _same_version(store, manifest, version)
        inputs, added = _inputs_for(paths, version)
        names = {f.name for f in added}
        kept = [f for f in _manifest_files(store, manifest) if f.name not in names]
        return _store_update(store, inputs, _in_order(kept, added), version, validate=validate,
                             jobs=jobs or default_jobs(), allow_invalid=allow_invalid,
                             exclude=manifest.get("excluded", []), required=True,
                             progress=progress)


def remove_from_store(
    doc_ids: Sequence[str], store_dir: Path, *, validate: bool = True,
    allow_invalid: bool = False,
) -> BuildResult:
    """Remove documents (by id) from an existing store; a file with none left is dropped.

    Raises:
        InputError: an id is not a document of the store.
        StoreError: no store, a store without cache for this version, or a writer at work.
    """
    from policykg.graph.store import check_store, lock_store, read_manifest
    from policykg.loaders.corpus import extractor_version
    from policykg.loaders.source import InputFiles
    from policykg.recordio import read_index as _read_index

    with lock_store(check_store(store_dir)) as store:
        manifest = read_manifest(store)
        version = extractor_version()
        _same_version(store, manifest, version)
        docs = _read_index(store).documents
        known = {d.id for d in docs}
        unknown = [i for i in doc_ids if i not in known]
        if unknown:
            raise InputError(Errors.Q018.format(id=unknown[0], store=store))
        excluded = set(manifest.get("excluded", [])) | set(doc_ids)
        files = _manifest_files(store, manifest)
        left = {d.file for d in docs if d.id not in excluded}
        kept = [f for f in files if Path(f.name).name in left]
        if not kept:
            raise InputError(Errors.S019.format(path=store, count=len(doc_ids)))
        if len(kept) < len(files):
            # ids of the dropped files' documents need not stay excluded
            gone = {d.id for d in docs if d.file not in left}
            excluded -= gone
        return _store_update(store, InputFiles(files=()), kept, version, validate=validate,
                             jobs=1, allow_invalid=allow_invalid, exclude=sorted(excluded),
                             required=True)


def _in_order(kept: Sequence[_InputFile], added: Sequence[_InputFile]) -> list[_InputFile]:
    """The store's files with the added ones where a build of one folder holding them all
    reads them (by name), so that ``add`` gives the store that build gives."""
    out = list(kept)
    for f in added:
        at = next((i for i, k in enumerate(out) if k.name > f.name), len(out))
        out.insert(at, f)
    return out


def _entries(manifest: Mapping[str, Any]) -> Any:
    """The manifest's file entries as ``_InputFile.entry`` gives them (status aside)."""
    entries = manifest.get("files")
    if not isinstance(entries, list):
        return None
    return [{k: v for k, v in e.items() if k != "status"} if isinstance(e, dict) else e
            for e in entries]


def _manifest_files(store: Path, manifest: Mapping[str, Any]) -> list[_InputFile]:
    """The store's input files known by its cache (files it skipped are left out)."""
    entries = manifest.get("files")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise StoreError(Errors.S017.format(path=store))
    try:
        return [_InputFile(None, e["name"], e["sha256"], e["bytes"], e["key"]) for e in entries
                if e.get("status") != "skipped"]
    except KeyError as e:
        raise StoreError(Errors.S012_ENTRY.format(path=store, key=e)) from e


def _same_version(store: Path, manifest: Mapping[str, Any], version: str) -> None:
    if manifest.get("extractor") != version:
        raise StoreError(Errors.S018.format(path=store, version=manifest.get("extractor")))


def ensure_store(store_dir: Path) -> bool:
    """Build the bundled compilation into ``store_dir`` if no store is there; True if built.

    Only for the default location: a store the user names must exist (``check_store``).
    Two processes starting at once build it once: the second waits for the first.
    """
    from policykg.graph.store import check_store, has_store, lock_store, recover

    recover(store_dir)
    if has_store(store_dir):
        return False
    with lock_store(store_dir, wait=600.0):
        if has_store(store_dir):
            return False
        logger.warning("no store in %s: building the bundled compilation first", store_dir)
        build_store([bundled_input()], store_dir)
    check_store(store_dir)
    return True


def check_store(store_dir: Path) -> Path:
    """The store a reader may use (an interrupted swap recovered); raise if there is none.

    Raises:
        StoreError: no store at ``store_dir``.
    """
    from policykg.graph.store import check_store as _check

    return _check(store_dir)


def read_corpus(store_dir: Path) -> Corpus:
    """Read the records of a built store."""
    from policykg.recordio import read_corpus as _read

    return _read(check_store(store_dir))


def read_index(store_dir: Path, *, sections: bool = False, targets: bool = False) -> Corpus:
    """Read the light records of a built store (no paragraphs; sections, targets on request).

    What ``who``, ``duties``, ``docs`` and ``show`` need, without reading ``corpus.json``.
    """
    from policykg.recordio import read_index as _read

    return _read(check_store(store_dir), sections=sections, targets=targets)


def prepare_search(agencies: Iterable[Agency] = ()) -> Path | None:
    """Write the word table ``policykg who`` segments queries with, and the registry's
    answers (``loaders.answers``, for ``duties``) to the names it lists and to the names
    ``agencies`` (a store's) go by, those not there yet.

    A one-time cost of about 2 s (jieba loads its whole dictionary); afterwards a cold
    ``who`` needs no dictionary load, nor a cold ``duties`` of a listed name or of a name of
    the store's agencies the registry. With every name answered already (a rebuild), the
    registry is not loaded. Returns the table's path (None: no writable cache).
    """
    from policykg.loaders import answers
    from policykg.loaders.nlp import word_table

    key = answers.answers_key()
    if key is not None:
        known = answers.read_answers(key)
        names = answers.store_names(agencies)
        if answers.LISTED not in known or any(n not in known for n in names):
            from policykg.loaders.agencies import default_registry

            registry = default_registry()
            made = {} if answers.LISTED in known else answers.listed_answers(registry)
            made.update(answers.store_answers(registry, names, {**known, **made}))
            answers.remember(key, made.items())
    return word_table()


def read_tree(store_dir: Path) -> Any:
    """Read the "1+N" tree of a built store as JSON data."""
    from policykg.graph.store import read_tree as _read

    return _read(check_store(store_dir))


VIEW_KINDS = ("tree", "responsibility", "coresponsibility", "citations")


def write_views(store_dir: Path, kind: str, name: str | None, output: Path) -> list[Path]:
    """Render the HTML views of a built store: one view to a file, or ``all`` into a folder."""
    from policykg.graph.analysis import busiest_agencies
    from policykg.graph.tree import build_tree
    from policykg.graph.views import agency_ego, to_networkx
    from policykg.viz.pages import write_all, write_view

    corpus = read_corpus(store_dir)
    placed = tree_corpus(corpus)
    tree = build_tree(placed, corpus.sectors,
                      jurisdiction_parents=jurisdiction_parents(placed))
    if kind == "agency":
        if name is None:
            raise InputError(Errors.Q019)
        ego = agency_ego(corpus, name)
        return [write_view(ego, "agency", output)]
    if kind != "all":
        graph = to_networkx(corpus, kind, sector_tags=corpus.sectors, tree=tree)
        return [write_view(graph, kind, output)]
    graphs = {k: to_networkx(corpus, k, sector_tags=corpus.sectors, tree=tree) for k in VIEW_KINDS}
    busiest = busiest_agencies(graphs["responsibility"], top=1)
    if busiest:
        # the index links one agency view as an example: the agency with most tasks
        graphs["agency"] = agency_ego(corpus, busiest[0].label)
    figures = {
        "documents": len(corpus.documents),
        "tasks": len(corpus.tasks),
        "agencies": len({a for t in corpus.tasks for a in (*t.lead, *t.participants)}),
        "targets": len(corpus.targets),
    }
    return write_all(graphs, output, figures)


def write_site(store_dir: Path, output: Path) -> list[Path]:
    """Write the static site (document list, document and agency pages, views) of a store."""
    from policykg.graph.sectors import load_sectors
    from policykg.graph.tree import build_tree, tree_to_json
    from policykg.graph.views import to_networkx
    from policykg.viz.site import SITE_VIEWS
    from policykg.viz.site import write_site as _write

    # the site lists each document under the jurisdiction the tree places it in
    corpus = tree_corpus(read_corpus(store_dir))
    tree = build_tree(corpus, corpus.sectors,
                      jurisdiction_parents=jurisdiction_parents(corpus))
    graphs = {k: to_networkx(corpus, k, sector_tags=corpus.sectors, tree=tree)
              for k in SITE_VIEWS}
    labels = {s.slug: s.label_zh for s in load_sectors()}
    return _write(output, corpus, tree=tree_to_json(tree), graphs=graphs, sector_labels=labels)
