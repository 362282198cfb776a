"""The order of stages: load → tag sectors → place in the "1+N" tree → RDF → validate → store.

The only module that knows how loaders, graph and viz fit together; the CLI and the
benchmarks call it. Must not import ``policykg.cli``.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykg.errors import InputError, StoreError
from policykg.records import Corpus

if TYPE_CHECKING:
    import rdflib

    from policykg.graph.tree import TreeNode
    from policykg.graph.validate import ValidationReport

__all__ = [
    "BuildResult",
    "build",
    "build_store",
    "bundled_input",
    "default_store",
    "ensure_store",
    "load_corpus",
    "prepare_search",
    "read_corpus",
    "read_index",
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


@dataclasses.dataclass(frozen=True, kw_only=True)
class BuildResult:
    """Everything one build produced, with the time each stage took.

    ``ntriples`` is the graph as sorted N-Triples: the text, or the store's ``graph.nt``;
    ``graph`` reads it into an ``rdflib.Graph`` on first use (the build itself needs none;
    ``triples`` is its size without reading it).
    """

    corpus: Corpus
    tree: TreeNode
    ntriples: str | Path
    triples: int
    validation: ValidationReport | None
    timings: dict[str, float]
    _cache: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @property
    def graph(self) -> rdflib.Graph:
        """The graph as an ``rdflib.Graph`` (parsed once, on first use)."""
        if "graph" not in self._cache:
            from policykg.graph.build import graph_from_ntriples

            text = self.ntriples
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
            raise InputError(f"{path}: no such file or directory")
    return load(paths, progress=progress)


def _records(paths: Sequence[Path], timings: dict[str, float],
             progress: Progress | None = None) -> tuple[Corpus, TreeNode]:
    """Load, tag sectors and place in the tree: the records of a build."""
    from policykg.graph.sectors import tag_sectors
    from policykg.graph.tree import build_tree

    t0 = time.perf_counter()
    corpus = load_corpus(paths, progress)
    t1 = time.perf_counter()
    timings["parse_extract"] = t1 - t0
    tags = tuple(tag_sectors(corpus))
    corpus = dataclasses.replace(corpus, sectors=tags)
    placed = tree_corpus(corpus)
    tree = build_tree(placed, tags, jurisdiction_parents=jurisdiction_parents(placed))
    timings["sectors_tree"] = time.perf_counter() - t1
    return corpus, tree


def build(paths: Sequence[Path], *, validate: bool = True,
          progress: Progress | None = None) -> BuildResult:
    """Run every stage on ``paths`` and return the records, tree and RDF graph (in memory)."""
    from policykg.graph.triples import ntriples_text

    timings: dict[str, float] = {}
    corpus, tree = _records(paths, timings, progress)
    t0 = time.perf_counter()
    text = ntriples_text(corpus, corpus.sectors, tree)
    t1 = time.perf_counter()
    timings["rdf"] = t1 - t0
    report = None
    if validate:
        from policykg.graph.validate import validate as shacl_validate

        report = shacl_validate(text)
        timings["validate"] = time.perf_counter() - t1
    return BuildResult(corpus=corpus, tree=tree, ntriples=text, triples=text.count("\n"),
                       validation=report, timings=timings)


def build_store(paths: Sequence[Path], store_dir: Path, *, validate: bool = True,
                progress: Progress | None = None) -> BuildResult:
    """Build ``paths`` and write the result into ``store_dir`` (atomically swapped in).

    The triples go straight from the records to a sorted N-Triples file (streamed per
    document, sorted in bounded runs), which is validated and bulk-loaded into Oxigraph.
    """
    from policykg.graph.store import write_store
    from policykg.graph.tree import tree_to_json
    from policykg.graph.triples import corpus_lines, write_sorted

    _check_store_target(store_dir)
    timings: dict[str, float] = {}
    corpus, tree = _records(paths, timings, progress)
    t0 = time.perf_counter()
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    nt = store_dir.with_name(f".{store_dir.name}.nt-{os.getpid()}")
    try:
        triples = write_sorted(corpus_lines(corpus, corpus.sectors, tree), nt)
        t1 = time.perf_counter()
        timings["rdf"] = t1 - t0
        report = None
        if validate:
            from policykg.graph.validate import validate as shacl_validate

            report = shacl_validate(nt)
            timings["validate"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        write_store(
            store_dir,
            corpus,
            nt,
            sector_tags=corpus.sectors,
            tree_json=tree_to_json(tree),
            inputs=[str(p) for p in paths],
        )
        timings["store"] = time.perf_counter() - t2
    finally:
        nt.unlink(missing_ok=True)
    return BuildResult(corpus=corpus, tree=tree, ntriples=store_dir / "graph.nt",
                       triples=triples, validation=report, timings=timings)


def _check_store_target(store_dir: Path) -> None:
    """Refuse, before any work, a target that is a file or a folder holding something else."""
    if store_dir.exists() and not store_dir.is_dir():
        raise StoreError(f"{store_dir}: exists and is not a directory")
    if (store_dir.is_dir() and not (store_dir / "manifest.json").is_file()
            and any(store_dir.iterdir())):
        raise StoreError(
            f"{store_dir}: not empty and not a policykg store; refusing to replace it"
        )


def ensure_store(store_dir: Path) -> bool:
    """Build the bundled compilation into ``store_dir`` if no store is there; True if built."""
    if (store_dir / "manifest.json").exists():
        return False
    logger.warning("no store in %s: building the bundled compilation first", store_dir)
    build_store([bundled_input()], store_dir)
    return True


def read_corpus(store_dir: Path) -> Corpus:
    """Read the records of a built store."""
    from policykg.recordio import read_corpus as _read

    if not (store_dir / "manifest.json").exists():
        raise StoreError(f"{store_dir}: no policykg store here (run 'policykg build')")
    return _read(store_dir)


def read_index(store_dir: Path, *, sections: bool = False, targets: bool = False) -> Corpus:
    """Read the light records of a built store (no paragraphs; sections, targets on request).

    What ``who``, ``duties``, ``docs`` and ``show`` need, without reading ``corpus.json``.
    """
    from policykg.recordio import read_index as _read

    if not (store_dir / "manifest.json").exists():
        raise StoreError(f"{store_dir}: no policykg store here (run 'policykg build')")
    return _read(store_dir, sections=sections, targets=targets)


def prepare_search() -> Path | None:
    """Write the word table ``policykg who`` segments queries with, if it is not there yet.

    A one-time cost of about 2 s (jieba loads its whole dictionary); afterwards a cold
    ``who`` needs no dictionary load. Returns the table's path (None: no writable cache).
    """
    from policykg.loaders.nlp import word_table

    return word_table()


def read_json(store_dir: Path, name: str) -> Any:
    """Read one JSON file of the store (e.g. the tree)."""
    import json

    path = store_dir / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise StoreError(f"{path}: cannot read ({e})") from e


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
            raise InputError("'viz agency' needs an agency name")
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
